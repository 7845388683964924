import type { SyncChangeCounts } from '../sync/sync-counts.js';
import type { SyncDeltaRow } from '../sync/sync-write.js';
/**
 * How a delivery run stands. `running` is written when an attempt starts; an attempt that is killed
 * leaves it so (a reader that knows the attempt's process is gone shows it as `interrupted`).
 */
export type LedgerRunStatus = 'running' | 'interrupted' | 'completed' | 'failed';

/** What identifies a delivery run and what it reads; written when the run starts. No secrets. */
export interface LedgerRunInit {
  /** The run's id: the id of the attempt that started it (e.g. the CLI run id `20250102T030405Z-1a2b3c`). */
  readonly runId: string;
  /** `deliveryRunKey(...)`: the hash of everything that fixes the batches (see the README). */
  readonly runKey: string;
  /** The id of this attempt (equal to `runId` for the first attempt). */
  readonly attemptId: string;
  readonly destination: string;
  /**
   * The data product delivering (floe.yaml `metadata.name`). Runs are keyed by product + destination: two
   * products with a destination of the same name in one ledger do not see each other's runs.
   */
  readonly product?: string;
  readonly sinkType: string;
  /** Where the rows go, without credentials. */
  readonly target: string;
  readonly sourceTable: string;
  /** The pinned source snapshot (decimal string), `null` for a table without snapshots. */
  readonly snapshotId: string | null;
  /** Rows per batch (0 = one batch). */
  readonly batchSize: number;
  readonly disposition: string;
  /** Rows in the pinned snapshot (for a sync run: the change rows to send). */
  readonly totalRows: number;
  /** A sync run: what its diff found (inserts, updates, deletes, unchanged), written with the run. */
  readonly changes?: SyncChangeCounts;
}

/** A run as the ledger knows it, with totals computed from its batch records. */
export interface LedgerRun extends Omit<LedgerRunInit, 'attemptId'> {
  readonly status: LedgerRunStatus;
  /** How many attempts began this run. */
  readonly attempts: number;
  readonly lastAttemptId: string;
  /** Host name and process id of the last attempt (to tell a dead `running` attempt). */
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
  /** `ceil(totalRows / batchSize)` (1 when batchSize is 0 and there are rows). */
  readonly batchesTotal: number;
  readonly batchesCommitted: number;
  /** Rows the destination acknowledged, over every attempt (committed batches and committed parts). */
  readonly rowsDelivered: number;
  readonly rowsRejected: number;
}

/** One batch: source rows `[firstRow, firstRow + rowCount)` of the pinned snapshot. */
export interface LedgerBatch {
  readonly batchIndex: number;
  readonly firstRow: number;
  readonly rowCount: number;
  /** The batch's idempotency key (sent as `Idempotency-Key`; the same on every attempt). */
  readonly idempotencyKey: string;
}

/** A batch the destination acknowledged. */
export interface CommittedBatch extends LedgerBatch {
  readonly rowsDelivered: number;
  readonly rowsRejected: number;
  /** The rows the destination rejected, recorded in the same commit as the batch (see {@link RecordedReject}). */
  readonly rejected?: readonly RecordedReject[];
  /**
   * A sync run's handled change rows of the batch (rejected rows excluded), recorded as pending sync state in
   * the same commit as the batch by a ledger that keeps sync state (`SyncStateLedger`).
   */
  readonly sync?: readonly SyncDeltaRow[];
}

/**
 * A batch a transactional destination wrote in several transactions (rows it refused were isolated) and
 * that was interrupted between them: its first `rowsDone` candidate rows are handled.
 */
export interface PartialBatch extends LedgerBatch {
  /** How many of the batch's candidate rows (in order) were handled by committed transactions. */
  readonly rowsDone: number;
  readonly rowsDelivered: number;
}

/**
 * A row the destination rejected, recorded durably with the batch part that handled it (in the same
 * transaction, or before the batch's commit mark), so that a resumed run can report it again.
 */
export interface RecordedReject {
  readonly batchIndex: number;
  /** The row's 0-based position in the pinned snapshot. */
  readonly row: number;
  /** The row's primary key as text, when the destination has one. */
  readonly key?: string;
  readonly reason: string;
  /** `PERMANENT`, `TRANSIENT` or `CONFIGURATION`. */
  readonly category: string;
  readonly httpStatus?: number;
}

/** What {@link DeliveryLedger.begin} found: the run and its recorded batches. */
export interface LedgerRunState {
  readonly run: LedgerRun;
  /** True when the run existed before this attempt. */
  readonly resumed: boolean;
  readonly committed: ReadonlyMap<number, CommittedBatch>;
  /** Recorded as intended, never acknowledged: re-sent with the same idempotency key. */
  readonly intended: ReadonlyMap<number, LedgerBatch>;
  readonly partial: ReadonlyMap<number, PartialBatch>;
  /**
   * Rows earlier attempts of the run rejected, by batch index, for a ledger that records them (see
   * {@link RecordedReject}); absent when the ledger does not.
   */
  readonly rejected?: ReadonlyMap<number, readonly RecordedReject[]>;
}

/** Which runs {@link DeliveryLedger.listRuns} returns. */
export interface ListRunsFilter {
  readonly destination?: string;
  /** Only this product's runs (and runs recorded without a product, by earlier versions). */
  readonly product?: string;
  /** Newest first; default 100. */
  readonly limit?: number;
}

/**
 * Where deliveries are recorded: before a batch is sent it is `intended`, after the destination
 * acknowledges it `committed`. A rerun resumes after the committed batches and re-sends intended ones
 * with the same idempotency key.
 *
 * Two kinds: a **state store** (SQLite file or PostgreSQL; `inTransaction: false`) that the engine writes
 * around each batch, and a **destination ledger** (`inTransaction: true`, e.g. `_floe_ledger` in a SQL
 * destination) whose batch records the destination writes inside the batch's own transaction — the engine
 * then hands each batch its {@link LedgerEntry} and `markIntended` / `markCommitted` do nothing.
 */
export interface DeliveryLedger {
  /** Where the records are, for messages (no credentials). */
  readonly location: string;
  /** True when the destination writes batch records in its batch transactions. */
  readonly inTransaction: boolean;
  /** The newest run of a destination (of `options.product`, when given), if any. */
  latestRun(destination: string, options?: { readonly product?: string }): Promise<LedgerRun | undefined>;
  /** Creates the run, or resumes it (`running`, one more attempt); returns what is recorded. */
  begin(init: LedgerRunInit): Promise<LedgerRunState>;
  /** Durably records that a batch is about to be sent (before the first byte). */
  markIntended(runId: string, batch: LedgerBatch): Promise<void>;
  /** Durably records that the destination acknowledged a batch. */
  markCommitted(runId: string, batch: CommittedBatch): Promise<void>;
  /**
   * Forgets the run's batch records: the destination's rollback undid every batch of the run (a `replace`
   * load whose new table was dropped), so none of them is delivered.
   */
  discardBatches(runId: string): Promise<void>;
  /** Ends the attempt with a status; returns the run with its totals. */
  finish(runId: string, status: LedgerRunStatus): Promise<LedgerRun | undefined>;
  listRuns(filter?: ListRunsFilter): Promise<LedgerRun[]>;
  /** Releases connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * What a transactional destination writes into its ledger in the same transaction as a batch's rows
 * (given to the destination function as `BatchContext.ledger`).
 */
export interface LedgerEntry extends LedgerBatch {
  readonly runId: string;
  readonly runKey: string;
  readonly snapshotId: string | null;
  /** Candidate rows of this batch already handled by an earlier attempt (skip them); 0 normally. */
  readonly rowsDone: number;
  /** Rows of this batch an earlier attempt delivered (counted in the ledger record's total). */
  readonly rowsDeliveredEarlier: number;
}

/**
 * The delivery state handed to `SinkConnector.write()` in {@link WriteOptions.delivery}: the ledger the
 * run is recorded in and what `ledger.begin()` returned for it. A connector that takes part in the delivery
 * protocol (see `isResumableSinkConnector`) skips the committed batches (still reading their rows, so batch
 * `i` stays the same rows), re-sends the intended ones with their recorded idempotency key, and records each
 * batch as intended before sending it and as committed once the destination acknowledged it — or, for a
 * ledger with `inTransaction: true`, writes the batch's {@link LedgerEntry} in the batch's own transaction.
 * `@floe/delivery`'s `DeliveryTracker` does that bookkeeping for a connector.
 */
export interface DeliveryState {
  readonly ledger: DeliveryLedger;
  /** What `ledger.begin()` returned: the run and the batches earlier attempts recorded. */
  readonly state: LedgerRunState;
}
