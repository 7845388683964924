import type { RecordBatch as Batch } from 'apache-arrow';
import type { IcebergJsonField } from './write-parquet-file.js';

/** Rows to write as one Parquet data (or equality delete) file. */
export interface WriterFileInput {
  batches: Iterable<Batch> | AsyncIterable<Batch>;
  /** Identity partition values keyed by partition field name. */
  partition?: Record<string, unknown>;
  /** Rows per Parquet row group (default 100,000). */
  rowGroupSize?: number;
}

/** Everything one commit (snapshot) adds or removes. */
export interface CommitInput {
  dataFiles?: WriterFileInput[];
  /** Files recorded in the manifest without being written (e.g. `format: 'ORC'` to test refusals). */
  externalDataFiles?: { path: string; format: string; recordCount: number; fileSizeInBytes: number }[];
  /** Position deletes: recorded data file path + row position. */
  positionDeletes?: { rows: { path: string; pos: number }[]; partition?: Record<string, unknown> }[];
  /** Equality deletes on `fieldIds`; batches hold the deleted key values (columns named as in the schema). */
  equalityDeletes?: (WriterFileInput & { fieldIds: number[] })[];
  /** v3 deletion vectors (recorded as Puffin blobs; the reader must refuse them). */
  deletionVectors?: { referencedDataFile: string }[];
  /** Recorded paths of data files to remove (written as DELETED manifest entries). */
  removeDataFiles?: string[];
  timestampMs?: number;
  operation?: string;
}

export interface CommitResult {
  snapshotId: bigint;
  sequenceNumber: bigint;
  timestampMs: number;
  /** Recorded paths of the data files this commit added. */
  dataFiles: string[];
}

/** Options of {@link IcebergTableWriter.create}. */
export interface IcebergTableWriterOptions {
  /** Folder to write the table into. */
  location: string;
  /** Iceberg schema fields (JSON form, as in metadata.json). */
  fields: IcebergJsonField[];
  formatVersion?: 1 | 2 | 3;
  /** Identity partitioning: one partition field per source column. */
  partitionBy?: { sourceId: number; name: string }[];
  properties?: Record<string, string>;
  /** Location written into the metadata (default `location`): set it to simulate a moved table. */
  recordedLocation?: string;
  /**
   * Record lower/upper bounds and null counts of `long`, `int` and `string` columns for data and
   * equality delete files in the manifests, as engines do (default false: no column statistics).
   */
  columnStats?: boolean;
  /** Write `metadata/version-hint.text` (default true) and `vN.metadata.json` names; false → `0000N-uuid.metadata.json`. */
  versionHint?: boolean;
}
