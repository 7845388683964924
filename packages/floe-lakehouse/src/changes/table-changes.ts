import type { RecordBatch } from 'apache-arrow';
import type { BatchOptions, SnapshotInfo } from '../types.js';

/** A record batch tagged with the data file its rows come from (the path recorded in the manifest). */
export interface FileBatch {
  readonly file: string;
  readonly batch: RecordBatch;
}

/** Options of {@link IcebergTable.fileBatches}. */
export interface FileBatchOptions extends BatchOptions {
  /**
   * Read only these data files (recorded paths, as in {@link PlannedDataFile.recordedPath}) of the
   * selected snapshot. A path that is not a live data file of the snapshot is an error.
   */
  files?: readonly string[];
}

/**
 * Options of {@link IcebergTable.changesSince}: the `to` snapshot (`snapshotId` / `asOfTimestampMs`
 * / `ref`, default the current snapshot), the columns both reads return, their batch size and signal.
 */
export type ChangesOptions = BatchOptions;

/** Options of {@link IncrementalChanges.before} and {@link IncrementalChanges.after}. */
export interface ChangeReadOptions {
  /** Cancels the read (default: the signal given to `changesSince`). */
  signal?: AbortSignal;
  /**
   * Read only these columns (default: the columns of `changesSince`). A diff needs only the keys of
   * `before()`: their other column chunks are never fetched.
   */
  columns?: readonly string[];
}

/** The table cannot be read incrementally from that snapshot: read it whole. */
export interface NonIncrementalChanges {
  readonly incremental: false;
  /** Why, e.g. `snapshot 123 is no longer in the table metadata (expired)`. */
  readonly reason: string;
}

/** Which data files changed between two snapshots of a table, and how to read only those. */
export interface IncrementalChanges {
  readonly incremental: true;
  /** e.g. `snapshot 456 descends from 123: 2 of 40 data files changed`. */
  readonly reason: string;
  readonly fromSnapshot: SnapshotInfo;
  readonly toSnapshot: SnapshotInfo;
  /** Only data files were added: none removed, no delete file added. */
  readonly appendOnly: boolean;
  /** Recorded paths of the data files live at `to` but not at `from`. */
  readonly addedFiles: readonly string[];
  /** Recorded paths of the data files live at `from` but not at `to`. */
  readonly removedFiles: readonly string[];
  /**
   * Data files live at both whose delete files changed in between: a delete file applying at `to`
   * but not at `from` (or the reverse), unless it provably misses the file — a new position delete
   * file holding no row of it (read to check), a new equality delete file whose key range cannot
   * match (manifest bounds and null counts).
   */
  readonly rewrittenFiles: readonly string[];
  /** Data files live at both with the same delete files (never read). */
  readonly unchangedFiles: number;
  /**
   * Bytes of the data and delete files `before()` and `after()` read, at most (fewer columns fetch less; a rewritten file counts twice,
   * a delete file once: both reads share loaded delete files).
   */
  readonly bytesToRead: number;
  /** Bytes of the table's data files at `to`. */
  readonly bytesTotal: number;
  /** Rows as of `from` of the removed and rewritten files (what may have left or changed). */
  before(options?: ChangeReadOptions): AsyncIterable<FileBatch>;
  /** Rows as of `to` of the added and rewritten files (what may be new or changed). */
  after(options?: ChangeReadOptions): AsyncIterable<FileBatch>;
}

/**
 * The result of {@link IcebergTable.changesSince}. Both reads of an incremental result use the same
 * (current) schema and column selection, so their rows compare: rows of `after()` that are not in
 * `before()` are new or changed, rows of `before()` not in `after()` left or changed.
 */
export type TableChanges = NonIncrementalChanges | IncrementalChanges;
