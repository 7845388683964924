import type { Knex } from 'knex';
import { KnexDeliveryLedger, type BatchRecord } from '@floe/delivery';
import type {
  AcquireLeaseOptions,
  CommittedBatch,
  LeaseAcquisition,
  LeaseOwner,
  LeasingLedger,
  LedgerBatch,
  LedgerEntry,
  LedgerRun,
  LedgerRunInit,
  LedgerRunState,
  LedgerRunStatus,
  ListRunsFilter,
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
 * and `_floe_ledger` in the target table's schema. Batch records are not written by the engine
 * (`inTransaction`): the sink adds {@link SqlDestinationLedger.statement} to each batch's transaction, so a
 * batch and its record commit together or not at all.
 */
export class SqlDestinationLedger implements LeasingLedger {
  readonly inTransaction = true;
  readonly location: string;
  readonly #connect: () => Promise<SqlLedgerConnection>;
  #inner: Promise<KnexDeliveryLedger> | undefined;

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
    const native = (await this.#ledger()).recordQuery(entry, record, 'replace').toSQL().toNative();
    return { sql: native.sql, bindings: native.bindings };
  }

  /** Writes `entry`'s record on its own (a batch whose last rows were all refused has no data transaction left). */
  async record(entry: LedgerEntry, record: BatchRecord): Promise<void> {
    await (await this.#ledger()).recordQuery(entry, record, 'replace');
  }

  /** How far the recorded batch got (`undefined`: no record). */
  async rowsDone(entry: LedgerEntry): Promise<number | undefined> {
    return (await (await this.#ledger()).readBatch(entry.runId, entry.batchIndex))?.rowsDone;
  }

  /** Releases the leases still held and forgets the connection (before the sink closes its pool); the next use connects again. */
  async close(): Promise<void> {
    const inner = this.#inner;
    this.#inner = undefined;
    await (await inner?.catch(() => undefined))?.close();
  }

  #ledger(): Promise<KnexDeliveryLedger> {
    this.#inner ??= this.#connect().then(
      ({ knex, schema }) =>
        new KnexDeliveryLedger({
          knex,
          location: this.location,
          inTransaction: true,
          ...(schema !== undefined && { schema }),
        }),
    );
    this.#inner.catch(() => {
      this.#inner = undefined;
    });
    return this.#inner;
  }
}
