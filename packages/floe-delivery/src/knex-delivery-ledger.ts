import { hostname } from 'node:os';
import type { Knex } from 'knex';
import { DeliveryError } from './delivery-error.js';
import { acquireKnexLease } from './knex-run-lease.js';
import { retryTransient, type StoreRetryOptions } from './retry-transient.js';
import { LEASES_TABLE, LEDGER_TABLE, RUNS_TABLE, ensureLedgerTables } from './ledger-tables.js';
import { discardRejects, ensureRejectsTable, insertRejectsQuery, readRejects } from './reject-records.js';
import { KnexSyncState } from './sync/knex-sync-state.js';
import {
  classifyBatches,
  newRunRow,
  runFromRow,
  type BatchRow,
  type BatchState,
  type RunRow,
  type RunTotals,
} from './ledger-rows.js';
import type {
  AcquireLeaseOptions,
  CommittedBatch,
  LeaseAcquisition,
  LeaseOwner,
  LeasingLedger,
  RunLease,
  LedgerBatch,
  LedgerEntry,
  LedgerRun,
  LedgerRunInit,
  LedgerRunState,
  LedgerRunStatus,
  ListRunsFilter,
  SyncScope,
  SyncStateLedger,
} from '@floe/core';

/** Options of {@link KnexDeliveryLedger}. */
export interface KnexDeliveryLedgerOptions {
  readonly knex: Knex;
  /** Schema (PostgreSQL) or database (MySQL) holding the tables; default the connection's. */
  readonly schema?: string;
  /** For messages: where the ledger is (no credentials). */
  readonly location: string;
  /** True for a destination ledger whose batch records the destination writes in its transactions. */
  readonly inTransaction?: boolean;
  /** Creates `schema` when missing (a state store's `?schema=`). */
  readonly createSchema?: boolean;
  /**
   * Retries each operation on a transient failure (a cut connection, a restarting database): a state store.
   * A destination ledger is not retried here — its records commit in the destination's own (retried) batches.
   */
  readonly retry?: StoreRetryOptions;
  /** Destroys the knex instance on `close()` (when the ledger owns it). */
  readonly ownsKnex?: boolean;
  /**
   * Never creates the tables (`floe egress runs`): a ledger whose tables do not exist lists no runs. Only
   * {@link KnexDeliveryLedger.listRuns} and {@link KnexDeliveryLedger.latestRun} are meant for it.
   */
  readonly readOnly?: boolean;
  /** Wall clock (tests). */
  readonly now?: () => Date;
  readonly host?: string;
  readonly pid?: number;
}

/** The fields of a batch record besides its identity. */
export interface BatchRecord {
  readonly state: BatchState;
  readonly rowsDone: number;
  readonly rowsDelivered: number;
  readonly rowsRejected: number;
}

/**
 * A {@link LeasingLedger} in two tables, `_floe_runs` and `_floe_ledger` (and its leases in `_floe_leases`), of any database knex speaks
 * (SQLite, PostgreSQL, MySQL/MariaDB): the CLI's state store, and the ledger a SQL destination keeps in its
 * own database. Tables are created on first use. Each record is its own committed statement (SQLite:
 * `synchronous=FULL`), so an `intended` record is durable before the batch is sent.
 */
export class KnexDeliveryLedger implements LeasingLedger, SyncStateLedger {
  readonly location: string;
  readonly inTransaction: boolean;
  /**
   * The sync state in the same database: a state store records a batch's handled change rows
   * (`CommittedBatch.sync`) in the transaction of its commit mark; a SQL destination writes them in its batch
   * transaction (`sync.addPendingIn`).
   */
  readonly sync: KnexSyncState;
  readonly #knex: Knex;
  readonly #schema: string | undefined;
  readonly #options: KnexDeliveryLedgerOptions;
  #ready: Promise<void> | undefined;
  #closed = false;
  readonly #runs = new Map<string, { runKey: string; snapshotId: string | null; scope: SyncScope }>();
  readonly #leases = new Set<RunLease>();

  constructor(options: KnexDeliveryLedgerOptions) {
    this.#knex = options.knex;
    this.#schema = options.schema;
    this.location = options.location;
    this.inTransaction = options.inTransaction ?? false;
    this.#options = options;
    this.sync = new KnexSyncState(options.knex, {
      location: options.location,
      ...(options.schema !== undefined && { schema: options.schema }),
      ...(options.createSchema !== undefined && { createSchema: options.createSchema }),
      ...(options.now !== undefined && { now: options.now }),
      ...(options.readOnly === true && { readOnly: true }),
    });
  }

  async latestRun(destination: string, options: { readonly product?: string } = {}): Promise<LedgerRun | undefined> {
    return (
      await this.listRuns({ destination, limit: 1, ...(options.product !== undefined && { product: options.product }) })
    )[0];
  }

  async begin(init: LedgerRunInit): Promise<LedgerRunState> {
    return this.#retried(() => this.#begin(init));
  }

  async #begin(init: LedgerRunInit): Promise<LedgerRunState> {
    await this.#prepare();
    const at = this.#now();
    const existing = await this.#table(RUNS_TABLE).where({ run_id: init.runId }).first<RunRow | undefined>();
    // A begin retried after its first try took effect (its answer lost) finds this attempt's own row.
    const ours =
      existing !== undefined && existing.last_attempt_id === init.attemptId && existing.run_key === init.runKey;
    if (existing === undefined) {
      await this.#table(RUNS_TABLE).insert(newRunRow(init, at, this.#host(), this.#pid()));
    } else if (!ours) {
      if (existing.run_key !== init.runKey) {
        throw new DeliveryError(
          `run ${init.runId} in ${this.location} has run key ${existing.run_key}, not ${init.runKey}: it cannot be resumed with this configuration`,
          'LEDGER_RUN_MISMATCH',
          { destination: init.destination },
        );
      }
      await this.#table(RUNS_TABLE)
        .where({ run_id: init.runId })
        .update({
          status: 'running',
          attempts: Number(existing.attempts) + 1,
          last_attempt_id: init.attemptId,
          host: this.#host(),
          pid: this.#pid(),
          updated_at: at,
          finished_at: null,
          ...(init.changes !== undefined && { changes: JSON.stringify(init.changes) }),
        });
    }
    this.#runs.set(init.runId, { runKey: init.runKey, snapshotId: init.snapshotId, scope: scopeOf(init) });
    const rows = await this.#table(LEDGER_TABLE).where({ run_id: init.runId }).select<BatchRow[]>('*');
    const run = (await this.#run(init.runId)) as LedgerRun;
    const resumed = existing !== undefined && (!ours || Number(existing.attempts) > 1);
    const rejected = await readRejects(this.#knex, this.#schema, init.runId);
    return { run, resumed, ...classifyBatches(rows), rejected };
  }

  async markIntended(runId: string, batch: LedgerBatch): Promise<void> {
    return this.#retried(() => this.#markIntended(runId, batch));
  }

  async #markIntended(runId: string, batch: LedgerBatch): Promise<void> {
    if (this.inTransaction) return;
    const entry = await this.#entry(runId, batch);
    await this.recordQuery(entry, { state: 'intended', rowsDone: 0, rowsDelivered: 0, rowsRejected: 0 }, 'keep');
  }

  async markCommitted(runId: string, batch: CommittedBatch): Promise<void> {
    return this.#retried(() => this.#markCommitted(runId, batch));
  }

  async #markCommitted(runId: string, batch: CommittedBatch): Promise<void> {
    if (this.inTransaction) return;
    const entry = await this.#entry(runId, batch);
    const record = {
      state: 'committed' as const,
      rowsDone: batch.rowCount,
      rowsDelivered: batch.rowsDelivered,
      rowsRejected: batch.rowsRejected,
    };
    const rejects = batch.rejected ?? [];
    const sync = batch.sync ?? [];
    if (rejects.length === 0 && sync.length === 0) {
      await this.recordQuery(entry, record, 'replace');
      return;
    }
    if (sync.length > 0) await this.sync.ensureTables();
    const { scope } = this.#runs.get(runId)!;
    // The rejected rows and the sync state's pending rows commit with the batch's record: a kill cannot
    // separate them.
    await this.#knex.transaction(async (trx) => {
      if (rejects.length > 0) await insertRejectsQuery(trx, this.#schema, runId, rejects);
      await this.sync.addPendingIn(trx, scope, runId, batch.batchIndex, sync);
      await this.recordQuery(entry, record, 'replace').transacting(trx);
    });
  }

  /**
   * The statement that writes a batch record (insert, or on conflict keep / replace the existing one):
   * a transactional destination runs `toSQL().toNative()` of it inside its batch transaction.
   */
  recordQuery(entry: LedgerEntry, record: BatchRecord, onConflict: 'keep' | 'replace'): Knex.QueryBuilder {
    const row: BatchRow = {
      run_id: entry.runId,
      batch_index: entry.batchIndex,
      run_key: entry.runKey,
      first_row: entry.firstRow,
      row_count: entry.rowCount,
      idempotency_key: entry.idempotencyKey,
      snapshot_id: entry.snapshotId,
      state: record.state,
      rows_done: record.rowsDone,
      rows_delivered: record.rowsDelivered,
      rows_rejected: record.rowsRejected,
      recorded_at: this.#now(),
    };
    const insert = this.#table(LEDGER_TABLE).insert(row).onConflict(['run_id', 'batch_index']);
    return onConflict === 'keep'
      ? insert.ignore()
      : insert.merge(['state', 'rows_done', 'rows_delivered', 'rows_rejected', 'idempotency_key', 'recorded_at']);
  }

  /** A batch's record, if any (e.g. to learn whether a transaction whose COMMIT answer was lost took effect). */
  async readBatch(
    runId: string,
    batchIndex: number,
  ): Promise<(BatchRecord & { readonly idempotencyKey: string }) | undefined> {
    await this.#prepare();
    const row = await this.#table(LEDGER_TABLE)
      .where({ run_id: runId, batch_index: batchIndex })
      .first<BatchRow | undefined>();
    if (row === undefined) return undefined;
    return {
      state: row.state as BatchState,
      rowsDone: Number(row.rows_done),
      rowsDelivered: Number(row.rows_delivered),
      rowsRejected: Number(row.rows_rejected),
      idempotencyKey: row.idempotency_key,
    };
  }

  async discardBatches(runId: string): Promise<void> {
    return this.#retried(() => this.#discardBatches(runId));
  }

  async #discardBatches(runId: string): Promise<void> {
    await this.#prepare();
    await this.#table(LEDGER_TABLE).where({ run_id: runId }).delete();
    await discardRejects(this.#knex, this.#schema, runId);
  }

  async finish(runId: string, status: LedgerRunStatus): Promise<LedgerRun | undefined> {
    return this.#retried(() => this.#finish(runId, status));
  }

  async #finish(runId: string, status: LedgerRunStatus): Promise<LedgerRun | undefined> {
    await this.#prepare();
    const at = this.#now();
    await this.#table(RUNS_TABLE).where({ run_id: runId }).update({ status, updated_at: at, finished_at: at });
    return this.#run(runId);
  }

  async listRuns(filter: ListRunsFilter = {}): Promise<LedgerRun[]> {
    return this.#retried(() => this.#listRuns(filter));
  }

  async #listRuns(filter: ListRunsFilter = {}): Promise<LedgerRun[]> {
    if (this.#options.readOnly === true) {
      if (this.#closed) await this.#prepare();
      const schema = this.#schema === undefined ? this.#knex.schema : this.#knex.schema.withSchema(this.#schema);
      if (!(await schema.hasTable(RUNS_TABLE))) return [];
    } else await this.#prepare();
    let query = this.#table(RUNS_TABLE).select<RunRow[]>('*');
    if (filter.destination !== undefined) query = query.where({ destination: filter.destination });
    const { product } = filter;
    if (product !== undefined) query = query.where((q) => q.where({ product }).orWhereNull('product'));
    const rows = await query
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'run_id', order: 'desc' },
      ])
      .limit(filter.limit ?? 100);
    const totals = await this.#totals(rows.map((row) => row.run_id));
    return rows.map((row) => runFromRow(row, totals.get(row.run_id)));
  }

  /**
   * Takes the run lease `key` (a row of `_floe_leases` in this store, kept alive by a heartbeat): see
   * {@link LeasingLedger.acquireLease}. Leases still held are released by `close()`.
   */
  async acquireLease(key: string, owner: LeaseOwner, options: AcquireLeaseOptions): Promise<LeaseAcquisition> {
    await this.#retried(() => this.#prepare());
    const outcome = await this.#retried(() =>
      acquireKnexLease(key, owner, {
        table: () => this.#table(LEASES_TABLE),
        timeoutMs: options.timeoutMs,
        thisHost: this.#host(),
        ...(this.#options.now !== undefined && { now: this.#options.now }),
      }),
    );
    if (!outcome.acquired) return outcome;
    const held = outcome.lease;
    this.#leases.add(held);
    const lease: RunLease = {
      key: held.key,
      get lost() {
        return held.lost;
      },
      release: async () => {
        this.#leases.delete(held);
        await held.release();
      },
    };
    return { acquired: true, lease };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    for (const lease of [...this.#leases]) await lease.release();
    this.#leases.clear();
    this.#closed = true;
    if (this.#options.ownsKnex === true) await this.#knex.destroy();
  }

  async #entry(runId: string, batch: LedgerBatch): Promise<LedgerEntry> {
    await this.#prepare();
    let known = this.#runs.get(runId);
    if (known === undefined) {
      const row = await this.#table(RUNS_TABLE).where({ run_id: runId }).first<RunRow | undefined>();
      if (row === undefined)
        throw new DeliveryError(`no run ${runId} in ${this.location}`, 'LEDGER_NO_RUN', { category: 'PERMANENT' });
      known = {
        runKey: row.run_key,
        snapshotId: row.snapshot_id,
        scope: scopeOf({ destination: row.destination, product: row.product ?? undefined }),
      };
      this.#runs.set(runId, known);
    }
    return { ...batch, runId, ...known, rowsDone: 0, rowsDeliveredEarlier: 0 };
  }

  async #run(runId: string): Promise<LedgerRun | undefined> {
    const row = await this.#table(RUNS_TABLE).where({ run_id: runId }).first<RunRow | undefined>();
    if (row === undefined) return undefined;
    return runFromRow(row, (await this.#totals([runId])).get(runId));
  }

  async #totals(runIds: readonly string[]): Promise<Map<string, RunTotals>> {
    const totals = new Map<string, RunTotals>();
    if (runIds.length === 0) return totals;
    const rows = await this.#table(LEDGER_TABLE)
      .whereIn('run_id', [...runIds])
      .groupBy('run_id')
      .select<
        {
          run_id: string;
          committed: number | string | null;
          delivered: number | string | null;
          rejected: number | string | null;
        }[]
      >(
        'run_id',
        this.#knex.raw(`sum(case when state = 'committed' then 1 else 0 end) as committed`),
        this.#knex.raw('sum(rows_delivered) as delivered'),
        this.#knex.raw('sum(rows_rejected) as rejected'),
      );
    for (const row of rows) {
      totals.set(row.run_id, {
        batchesCommitted: Number(row.committed ?? 0),
        rowsDelivered: Number(row.delivered ?? 0),
        rowsRejected: Number(row.rejected ?? 0),
      });
    }
    return totals;
  }

  #retried<T>(operation: () => Promise<T>): Promise<T> {
    return this.#options.retry === undefined ? operation() : retryTransient(operation, this.#options.retry);
  }

  #table(name: string): Knex.QueryBuilder {
    return this.#schema === undefined ? this.#knex(name) : this.#knex.withSchema(this.#schema).table(name);
  }

  #prepare(): Promise<void> {
    if (this.#closed)
      return Promise.reject(
        new DeliveryError(`the delivery ledger ${this.location} is closed`, 'LEDGER_CLOSED', { category: 'PERMANENT' }),
      );
    const schema = this.#schema;
    const create = async (): Promise<void> => {
      if (this.#options.createSchema === true && schema !== undefined)
        await this.#knex.schema.createSchemaIfNotExists(schema);
      await ensureLedgerTables(this.#knex, schema);
      await ensureRejectsTable(this.#knex, schema);
    };
    this.#ready ??= create().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  #now(): string {
    return (this.#options.now?.() ?? new Date()).toISOString();
  }

  #host(): string {
    return this.#options.host ?? hostname();
  }

  #pid(): number {
    return this.#options.pid ?? process.pid;
  }
}

function scopeOf(run: { readonly destination: string; readonly product?: string | undefined }): SyncScope {
  return { destination: run.destination, ...(run.product !== undefined && { product: run.product }) };
}
