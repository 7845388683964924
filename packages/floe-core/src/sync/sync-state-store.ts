import type { SyncDeltaRow } from './sync-write.js';

/** Whose sync state: runs and states are keyed by product + destination. */
export interface SyncScope {
  readonly destination: string;
  readonly product?: string;
}

/** What a destination's sync state was built from (compared on the next run to choose the diff path). */
export interface SyncStateMeta {
  /** The source snapshot the state reflects (decimal string), `null` for a table without snapshots. */
  readonly snapshotId: string | null;
  /** The Iceberg table's `table-uuid`, to tell a table replaced under the same name. */
  readonly tableUuid?: string;
  /**
   * The hash of what fixes the fingerprints: mode, primary key, mapped column names and types. A different
   * signature forces a full diff.
   */
  readonly signature: string;
  /** Synced records. */
  readonly records: number;
  /** Data files holding rows whose last send failed (read again by an incremental diff). */
  readonly failedFiles: readonly string[];
  readonly updatedAt: string;
}

/** One synced record as the state holds it. */
export interface SyncStateRecord {
  readonly key: string;
  readonly fingerprint: string;
  readonly destinationId?: string;
}

/**
 * Where a destination's sync state is kept: for each synced record its key, the fingerprint of the values last
 * sent and the destination's id of it. Handled change rows are first recorded as pending with their run's batch
 * (atomically with it) and folded into the state when the run ends ({@link SyncStateStore.settle}); a run being
 * resumed diffs against the state without its own pending rows, so every attempt sees the same changes.
 */
export interface SyncStateStore {
  /** Where the state is (no credentials). */
  readonly location: string;
  meta(scope: SyncScope): Promise<SyncStateMeta | undefined>;
  /** The records of these keys (absent keys were never synced). */
  lookup(scope: SyncScope, keys: readonly string[]): Promise<Map<string, SyncStateRecord>>;
  /** Every synced record, in key order, a page at a time. */
  records(scope: SyncScope, options?: { readonly pageSize?: number }): AsyncIterable<readonly SyncStateRecord[]>;
  /** Records handled rows of a batch of run `runId` as pending (a state store's commit mark calls it). */
  addPending(scope: SyncScope, runId: string, batchIndex: number, rows: readonly SyncDeltaRow[]): Promise<void>;
  /**
   * Folds pending rows into the state: of every run but `exceptRunId` (before a run's diff), or of `runId`
   * only (when it ends); `meta` is written in the same transaction (absent: kept as it is).
   */
  settle(
    scope: SyncScope,
    options: {
      readonly exceptRunId?: string;
      readonly runId?: string;
      readonly meta?: Omit<SyncStateMeta, 'records' | 'updatedAt'>;
    },
  ): Promise<void>;
  /** Forgets the whole state of a destination (`--full-resync`). */
  reset(scope: SyncScope): Promise<void>;
}

/** A delivery ledger that also keeps sync state (in the same store, so a batch and its state commit together). */
export interface SyncStateLedger {
  readonly sync: SyncStateStore;
  /**
   * The same state for reading only (`egress plan`): creates nothing where it is kept (no file, schema, table
   * or scope), reads what is missing as never synced, refuses writes. Absent: `sync` is read as it is.
   */
  readOnlySync?(): SyncStateStore;
}

/**
 * Whether a ledger keeps sync state.
 *
 * @example
 * ```ts
 * if (isSyncStateLedger(ledger)) await ledger.sync.settle(scope, { exceptRunId: runId });
 * ```
 */
export function isSyncStateLedger(ledger: unknown): ledger is SyncStateLedger {
  const sync = (ledger as { sync?: unknown } | null)?.sync;
  return typeof sync === 'object' && sync !== null && typeof (sync as SyncStateStore).lookup === 'function';
}
