import type { Knex } from 'knex';
import { KnexDeliveryLedger, insertRejectsQuery, type BatchRecord } from '@floe/delivery';
import type {
  CommittedBatch,
  DeliveryLedger,
  LedgerBatch,
  LedgerEntry,
  LedgerRun,
  LedgerRunInit,
  LedgerRunState,
  LedgerRunStatus,
  ListRunsFilter,
  RecordedReject,
} from '@floe/core';

/** A statement to run inside a batch's transaction, after its rows (see `WriteRequest.ledger`). */
export interface LedgerStatement {
  readonly sql: string;
  readonly bindings: readonly unknown[];
}

/** Where the ledger tables go: the destination's knex and the target table's schema. */
export interface SqlLedgerConnection {
  readonly knex: Knex;
  readonly schema: string | undefined;
}

/**
 * The delivery ledger a `sql_database` destination (append, merge) keeps in its own database: `_floe_runs`
 * and `_floe_ledger` in the target table's schema, and `_floe_rejects` for the rows it refused. Batch records are
 * not written by the engine (`inTransaction`): the sink adds {@link SqlDestinationLedger.statement} (and
 * {@link SqlDestinationLedger.rejectsStatement}) to each batch's transaction, so a batch, its record and its
 * rejected rows commit together or not at all; a resumed run reads the rejected rows back (`state.rejected`).
 */
export class SqlDestinationLedger implements DeliveryLedger {
  readonly inTransaction = true;
  readonly location: string;
  readonly #connect: () => Promise<SqlLedgerConnection>;
  #inner: Promise<KnexDeliveryLedger> | undefined;
  #connection: SqlLedgerConnection | undefined;

  /** `connect` gives the destination's knex once the sink is connected; `location` names it without secrets. */
  constructor(connect: () => Promise<SqlLedgerConnection>, location: string) {
    this.#connect = connect;
    this.location = location;
  }

  async latestRun(destination: string): Promise<LedgerRun | undefined> {
    return (await this.#ledger()).latestRun(destination);
  }

  async begin(init: LedgerRunInit): Promise<LedgerRunState> {
    return (await this.#ledger()).begin(init);
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
    const native = (await this.#ledger()).recordQuery(entry, record, 'replace').toSQL().toNative();
    return { sql: native.sql, bindings: native.bindings };
  }

  /** The statement that records `rejects` of `entry`'s run, for the batch transaction (`undefined`: none). */
  async rejectsStatement(entry: LedgerEntry, rejects: readonly RecordedReject[]): Promise<LedgerStatement | undefined> {
    if (rejects.length === 0) return undefined;
    await this.#ledger();
    const { knex, schema } = this.#connected();
    const native = insertRejectsQuery(knex, schema, entry.runId, rejects).toSQL().toNative();
    return { sql: native.sql, bindings: native.bindings };
  }

  /**
   * Writes `entry`'s record and `rejects` in one transaction of their own (a batch whose last rows were all
   * refused has no data transaction left).
   */
  async record(entry: LedgerEntry, record: BatchRecord, rejects: readonly RecordedReject[] = []): Promise<void> {
    const ledger = await this.#ledger();
    const { knex, schema } = this.#connected();
    await knex.transaction(async (trx) => {
      const query = ledger.recordQuery(entry, record, 'replace').toSQL();
      if (rejects.length > 0) await insertRejectsQuery(trx, schema, entry.runId, rejects);
      await trx.raw(query.sql, [...query.bindings]);
    });
  }

  /** How far the recorded batch got (`undefined`: no record). */
  async rowsDone(entry: LedgerEntry): Promise<number | undefined> {
    return (await (await this.#ledger()).readBatch(entry.runId, entry.batchIndex))?.rowsDone;
  }

  /** Forgets the connection (the sink closed its pool); the next use connects again. */
  async close(): Promise<void> {
    this.#inner = undefined;
    this.#connection = undefined;
  }

  #connected(): SqlLedgerConnection {
    if (this.#connection === undefined) throw new Error('the SQL ledger is not connected');
    return this.#connection;
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
