import type { Knex } from 'knex';
import type { RecordBatch } from 'apache-arrow';
import { KnexDeliveryLedger, insertRejectsQuery, syncDeltaOf, type BatchRecord } from '@floe/delivery';
import { boundTransaction } from './internal/bound-transaction.js';
import { SqlSyncState } from './sql-sync-state.js';
import type { SqlDialectName } from './connection-url.js';
import { markerPlace, readTarget, writeMarker, type TargetTable } from './target-marker.js';
import type {
  AcquireLeaseOptions,
  CommittedBatch,
  LeaseAcquisition,
  LeaseOwner,
  LeasingLedger,
  VerifyingLedger,
  LedgerBatch,
  LedgerEntry,
  LedgerRun,
  LedgerRunInit,
  LedgerRunState,
  LedgerRunStatus,
  ListRunsFilter,
  RecordedReject,
  SyncScope,
  SyncStateLedger,
} from '@floe/core';

/** A statement to run inside a batch's transaction, after its rows (see `WriteRequest.ledger`). */
export interface LedgerStatement {
  readonly sql: string;
  readonly bindings: readonly unknown[];
}

/**
 * Rejected rows per `_floe_rejects` insert: at most 500 (knex writes SQLite's multi-row insert as a compound
 * `SELECT`, limited to 500 terms), 7 bindings each (far below every dialect's bind-parameter limit).
 */
const REJECTS_PER_STATEMENT = 500;

function chunksOf(rejects: readonly RecordedReject[]): (readonly RecordedReject[])[] {
  const chunks: (readonly RecordedReject[])[] = [];
  for (let from = 0; from < rejects.length; from += REJECTS_PER_STATEMENT) {
    chunks.push(rejects.slice(from, from + REJECTS_PER_STATEMENT));
  }
  return chunks;
}

/** Where the ledger tables go: the destination's knex and the target table's schema. */
export interface SqlLedgerConnection {
  readonly knex: Knex;
  readonly schema: string | undefined;
  /** The target table (its schema is the ledger's), to check it for drift and mark it. */
  readonly table?: { readonly name: string; readonly dialect: SqlDialectName };
}

/**
 * The delivery ledger a `sql_database` destination (append, merge) keeps in its own database: `_floe_runs`
 * and `_floe_ledger` in the target table's schema, and `_floe_rejects` for the rows it refused. Batch records are
 * not written by the engine (`inTransaction`): the sink adds {@link SqlDestinationLedger.statement} (and
 * {@link SqlDestinationLedger.rejectsStatement}) to each batch's transaction, so a batch, its record and its
 * rejected rows commit together or not at all; a resumed run reads the rejected rows back (`state.rejected`).
 * It keeps the destination's sync state too ({@link SqlDestinationLedger.sync}, in the same schema), so a sync
 * write records each batch part's handled change rows as pending in the part's own transaction
 * ({@link SqlDestinationLedger.syncWork}).
 */
export class SqlDestinationLedger implements LeasingLedger, VerifyingLedger, SyncStateLedger {
  readonly inTransaction = true;
  readonly location: string;
  /** The destination's sync state (`_floe_sync_*` beside `_floe_ledger`): `isSyncStateLedger(ledger)` is true. */
  readonly sync: SqlSyncState;
  /** Each begun run's sync scope (its product and destination). */
  readonly #scopes = new Map<string, SyncScope>();
  readonly #connect: () => Promise<SqlLedgerConnection>;
  #inner: Promise<KnexDeliveryLedger> | undefined;
  readonly #destinations = new Map<string, string>();
  readonly #marked = new Map<string, Promise<void>>();
  #connection: SqlLedgerConnection | undefined;

  readonly #peek: (() => Promise<SqlLedgerConnection | undefined>) | undefined;
  #readOnlySync: SqlSyncState | undefined;

  /**
   * `connect` gives the destination's knex once the sink is connected; `location` names it without secrets;
   * `peek` gives it for reading only, creating nothing (`undefined`: the database does not exist).
   */
  constructor(
    connect: () => Promise<SqlLedgerConnection>,
    location: string,
    peek?: () => Promise<SqlLedgerConnection | undefined>,
  ) {
    this.#connect = connect;
    this.#peek = peek;
    this.location = location;
    this.sync = new SqlSyncState(
      async () => {
        const { knex, schema } = await connect();
        return { knex, schema };
      },
      location.replace(/_floe_ledger$/, '_floe_sync_state'),
    );
  }

  /** The sync state for reading only (`egress plan`): creates no file, schema, table or scope in the destination. */
  readOnlySync(): SqlSyncState {
    const peek = this.#peek ?? this.#connect;
    this.#readOnlySync ??= new SqlSyncState(
      async () => {
        const connection = await peek();
        return connection && { knex: connection.knex, schema: connection.schema };
      },
      this.sync.location,
      { readOnly: true },
    );
    return this.#readOnlySync;
  }

  async latestRun(destination: string, options?: { readonly product?: string }): Promise<LedgerRun | undefined> {
    return (await this.#ledger()).latestRun(destination, options);
  }

  async begin(init: LedgerRunInit): Promise<LedgerRunState> {
    this.#destinations.set(init.runId, init.destination);
    this.#scopes.set(init.runId, {
      destination: init.destination,
      ...(init.product !== undefined && { product: init.product }),
    });
    return (await this.#ledger()).begin(init);
  }

  /**
   * Drift: the ledger lives beside the table, and either can be changed without the other. A run that
   * delivered rows needs its table to exist, carry its marker (see `target-marker.ts`: the table comment, on
   * SQLite a trigger; written before the run's first batch commits — a recreated table has none) and hold at
   * least the rows an append delivered (a truncated table holds fewer); a table carrying a destination's marker
   * while the ledger has no run of it means the ledger tables were dropped.
   */
  async checkDestination(destination: string, latest: LedgerRun | undefined): Promise<string | undefined> {
    const target = await this.#target();
    if (target === undefined) return undefined;
    const state = await readTarget(target);
    const shown = target.schema === undefined ? target.name : `${target.schema}.${target.name}`;
    if (latest === undefined) {
      if (state.marker?.destination !== destination) return undefined;
      return (
        `the target table ${shown} was written by run ${state.marker.runId} of "${destination}" (${markerPlace(target.dialect, target.name)} says so), ` +
        `but ${this.location} has no run of "${destination}" (were _floe_runs / _floe_ledger dropped or emptied?)`
      );
    }
    if (latest.status === 'completed' || (latest.rowsDelivered === 0 && latest.batchesCommitted === 0))
      return undefined;
    const delivered = `run ${latest.runId} recorded ${latest.rowsDelivered} rows delivered into it`;
    if (!state.exists) return `the target table ${shown} no longer exists (dropped?) but ${delivered}`;
    if (state.marker?.runId !== latest.runId) {
      const place = markerPlace(target.dialect, target.name);
      return `the target table ${shown} does not carry the marker of run ${latest.runId} in ${place} (dropped and created again?) but ${delivered}`;
    }
    const short = latest.disposition === 'append' ? state.rows < latest.rowsDelivered : state.rows === 0;
    if (short)
      return `the target table ${shown} holds ${state.rows} rows but ${delivered} (truncated, or rows deleted?)`;
    return undefined;
  }

  /**
   * Takes the run lease in the destination database (`_floe_leases` beside `_floe_ledger`), so every process
   * that could write this table sees it, whatever its state store.
   */
  async acquireLease(key: string, owner: LeaseOwner, options: AcquireLeaseOptions): Promise<LeaseAcquisition> {
    return (await this.#ledger()).acquireLease(key, owner, options);
  }

  /** Nothing: the batch's own transaction writes its record. */
  async markIntended(_runId: string, _batch: LedgerBatch): Promise<void> {}

  /** Nothing: the batch's own transaction wrote its record. */
  async markCommitted(_runId: string, _batch: CommittedBatch): Promise<void> {}

  async discardBatches(runId: string): Promise<void> {
    await (await this.#ledger()).discardBatches(runId);
  }

  async finish(runId: string, status: LedgerRunStatus): Promise<LedgerRun | undefined> {
    return (await this.#ledger()).finish(runId, status);
  }

  async listRuns(filter?: ListRunsFilter): Promise<LedgerRun[]> {
    return (await this.#ledger()).listRuns(filter);
  }

  /** The statement that writes `entry`'s record, for the batch transaction (the dialect's own placeholders). */
  async statement(entry: LedgerEntry, record: BatchRecord): Promise<LedgerStatement> {
    await this.#mark(entry.runId);
    const native = (await this.#ledger()).recordQuery(entry, record, 'replace').toSQL().toNative();
    return { sql: native.sql, bindings: native.bindings };
  }

  /**
   * The statements that record `rejects` of `entry`'s run, for the batch transaction (`undefined`: none); one per
   * {@link REJECTS_PER_STATEMENT} rows, so a batch of any size stays below every dialect's bind-parameter limit.
   */
  async rejectsStatement(
    entry: LedgerEntry,
    rejects: readonly RecordedReject[],
  ): Promise<LedgerStatement[] | undefined> {
    if (rejects.length === 0) return undefined;
    await this.#ledger();
    const { knex, schema } = this.#connected();
    return chunksOf(rejects).map((chunk) => {
      const native = insertRejectsQuery(knex, schema, entry.runId, chunk).toSQL().toNative();
      return { sql: native.sql, bindings: native.bindings };
    });
  }

  /**
   * Writes `entry`'s record and `rejects` in one transaction of their own (a batch whose last rows were all
   * refused has no data transaction left).
   */
  async record(entry: LedgerEntry, record: BatchRecord, rejects: readonly RecordedReject[] = []): Promise<void> {
    await this.#mark(entry.runId);
    const ledger = await this.#ledger();
    const { knex, schema } = this.#connected();
    await knex.transaction(async (trx) => {
      const query = ledger.recordQuery(entry, record, 'replace').toSQL();
      for (const chunk of chunksOf(rejects)) await insertRejectsQuery(trx, schema, entry.runId, chunk);
      await trx.raw(query.sql, [...query.bindings]);
    });
  }

  /**
   * The work that records the change rows `handled` (batch row indexes: written, skipped, deleted — never refused)
   * of `batch` as pending sync state of `entry`'s run, for the transaction that handles them (run on its
   * connection, before its ledger record). Creates the sync tables first, outside any transaction. `undefined`
   * when there is nothing to record.
   */
  async syncWork(
    entry: LedgerEntry,
    batch: RecordBatch,
    handled: Int32Array,
  ): Promise<((connection: unknown) => Promise<void>) | undefined> {
    if (handled.length === 0) return undefined;
    const scope = this.#scopes.get(entry.runId);
    if (scope === undefined)
      throw new Error(`run ${entry.runId} was not begun through ${this.location}: its sync scope is unknown`);
    await this.sync.ensureTables();
    const knex = await this.sync.knex();
    const rows = syncDeltaOf(batch, handled);
    return (connection) =>
      this.sync.addPendingIn(boundTransaction(knex, connection), scope, entry.runId, entry.batchIndex, rows);
  }

  /** How far the recorded batch got (`undefined`: no record). */
  async rowsDone(entry: LedgerEntry): Promise<number | undefined> {
    return (await (await this.#ledger()).readBatch(entry.runId, entry.batchIndex))?.rowsDone;
  }

  /** Releases the leases still held and forgets the connection (before the sink closes its pool); the next use connects again. */
  async close(): Promise<void> {
    const inner = this.#inner;
    this.#inner = undefined;
    this.#connection = undefined;
    this.sync.close();
    await (await inner?.catch(() => undefined))?.close();
  }

  #connected(): SqlLedgerConnection {
    if (this.#connection === undefined) throw new Error('the SQL ledger is not connected');
    return this.#connection;
  }

  /** Marks the target table as the run's, once per run, before its first batch record can commit. */
  #mark(runId: string): Promise<void> {
    const destination = this.#destinations.get(runId);
    if (destination === undefined) return Promise.resolve();
    let marking = this.#marked.get(runId);
    if (marking === undefined) {
      marking = this.#target().then((target) => target && writeMarker(target, { destination, runId }));
      this.#marked.set(runId, marking);
      marking.catch(() => this.#marked.delete(runId));
    }
    return marking;
  }

  async #target(): Promise<TargetTable | undefined> {
    const { knex, schema, table } = await this.#connect();
    return table === undefined ? undefined : { knex, schema, name: table.name, dialect: table.dialect };
  }

  #ledger(): Promise<KnexDeliveryLedger> {
    this.#inner ??= this.#connect().then(({ knex, schema }) => {
      this.#connection = { knex, schema };
      return new KnexDeliveryLedger({
        knex,
        location: this.location,
        inTransaction: true,
        ...(schema !== undefined && { schema }),
      });
    });
    this.#inner.catch(() => {
      this.#inner = undefined;
    });
    return this.#inner;
  }
}
