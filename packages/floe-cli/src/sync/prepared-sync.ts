import type { RecordBatch, Schema } from 'apache-arrow';
import type { LedgerRunStatus, SyncChangeCounts, SyncWrite } from '@floe/core';
import type { SyncKind } from './sync-kind.js';

/** A source row the diff refused before sending (a null or duplicate primary key). */
export interface SyncReject {
  /** The row's values (source columns), as JSON-able values. */
  readonly row: Readonly<Record<string, unknown>>;
  readonly key: string;
  readonly reason: string;
  /** The data file it came from, when known (read again by the next incremental diff). */
  readonly file?: string;
  /** Its position among the rows the diff read (a full scan: its position in the snapshot). */
  readonly position?: number;
}

/**
 * A destination's sync run, prepared before anything is sent: what its diff found (counted), the change rows to
 * hand to the sink, and how the run is folded into the sync state when it completes.
 */
export interface PreparedSync {
  readonly kind: SyncKind;
  readonly counts: SyncChangeCounts;
  /** Rows the write is given (change rows; for `appended`, the added rows). */
  readonly changeRows: number;
  /** `WriteOptions.sync` (keyed syncs only). */
  readonly write: SyncWrite | undefined;
  /** Rows refused by the diff (never sent). */
  readonly rejected: readonly SyncReject[];
  /** Schema of {@link PreparedSync.data}'s batches. */
  readonly schema: Schema;
  /** Storage bytes the diff read (when the source counts them). */
  readonly bytesRead: number | undefined;
  /** The rows to write, read again on each call (a resume reads the same rows). */
  data(signal?: AbortSignal): AsyncIterable<RecordBatch>;
  /**
   * Folds the run into the sync state when it completed (`status` completed): its handled rows become the
   * state and the state remembers the snapshot. Any other status leaves the state as it is (the rows the run
   * delivered stay pending with its batches: a resumed run sees the same changes; another run folds them first).
   */
  complete(runId: string, status: LedgerRunStatus, failedFiles: readonly string[]): Promise<void>;
  /** Removes the spooled change stream. Idempotent. */
  close(): Promise<void>;
}
