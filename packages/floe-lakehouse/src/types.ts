import type { Schema } from 'apache-arrow';

/** A snapshot of the table (one commit). */
export interface SnapshotInfo {
  snapshotId: bigint;
  parentSnapshotId?: bigint;
  sequenceNumber: bigint;
  /** Commit time, milliseconds since the epoch. */
  timestampMs: number;
  /** `append`, `overwrite`, `delete`, `replace`… (from the summary). */
  operation?: string;
  summary: Record<string, string>;
  /** Id of the schema the snapshot was written with (v2+). */
  schemaId?: number;
}

/** Which snapshot and columns to read. At most one of `snapshotId`, `asOfTimestampMs`, `ref`. */
export interface ScanOptions {
  /** Read this snapshot (bigint, or a decimal string: ids do not fit a JS number). */
  snapshotId?: bigint | string;
  /** Read the snapshot that was current at this time (ms since the epoch), from the snapshot log. */
  asOfTimestampMs?: number;
  /** Read the snapshot a branch or tag points to. */
  ref?: string;
  /** Top-level column names to read, in output order (default: every column). */
  columns?: string[];
  /**
   * Name and type columns after the schema the selected snapshot was written with instead of the
   * table's current schema (default false: current schema, as Iceberg time travel does in Spark SQL).
   */
  useSnapshotSchema?: boolean;
  /** Cancels the operation; the signal's reason is thrown. */
  signal?: AbortSignal;
}

/** Options of {@link IcebergTable.batches}. */
export interface BatchOptions extends ScanOptions {
  /** Maximum rows per RecordBatch (default 65,536). Batches never span data files. */
  batchSize?: number;
}

/** A delete file of a scan plan. */
export interface PlannedDeleteFile {
  /** Where it is read from (recorded path resolved for moved tables). */
  path: string;
  /** Path as recorded in the manifest. */
  recordedPath: string;
  content: 'position' | 'equality';
  recordCount: number;
  fileSizeInBytes: number;
  /** Equality delete columns (field ids). */
  equalityFieldIds?: number[];
  sequenceNumber: bigint;
}

/** A data file of a scan plan. */
export interface PlannedDataFile {
  path: string;
  recordedPath: string;
  format: 'parquet';
  /** Rows in the file before deletes (manifest `record_count`). */
  recordCount: number;
  fileSizeInBytes: number;
  specId: number;
  /** Partition tuple as stored in the manifest, keyed by partition field name. */
  partition: Record<string, unknown>;
  sequenceNumber: bigint;
  /** Delete files that apply to this data file. */
  deleteFiles: PlannedDeleteFile[];
}

/** The result of {@link IcebergTable.plan}. */
export interface ScanPlan {
  /** `null` for a table without snapshots (nothing to read). */
  snapshot: SnapshotInfo | null;
  /** Arrow schema of the batches the scan yields. */
  schema: Schema;
  files: PlannedDataFile[];
  /** Every delete file applying to at least one planned data file. */
  deleteFiles: PlannedDeleteFile[];
  /** Sum of the data files' record counts (before deletes). */
  recordCount: number;
  /**
   * `recordCount` minus the record counts of the position delete files (an estimate: position
   * deletes may repeat or target other files, equality deletes are not counted). Use `count()` for
   * the exact number.
   */
  estimatedRowCount: number;
  /** True when no delete file applies, i.e. `estimatedRowCount` is exact. */
  exact: boolean;
}
