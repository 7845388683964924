import { writeFile } from 'node:fs/promises';
import { manifestEntrySchema, manifestFileSchema, partitionAvroType } from './avro-schemas.js';
import type { FileStats } from './column-stats.js';
import { writeAvroFile } from './write-avro-file.js';
import type { IcebergJsonField } from './write-parquet-file.js';

/** A data or delete file entry as the writer records it in a manifest. */
export interface WrittenFile {
  content: 0 | 1 | 2;
  path: string;
  format: string;
  recordCount: number;
  fileSizeInBytes: number;
  partition: Record<string, unknown>;
  equalityIds?: number[];
  referencedDataFile?: string;
  contentOffset?: bigint;
  contentSizeInBytes?: bigint;
  /** Column statistics (written when the writer collects them). */
  stats?: FileStats;
  /** Data sequence number once committed. */
  sequenceNumber?: bigint;
  snapshotId?: bigint;
}

/** One manifest list entry. */
export interface WrittenManifest {
  path: string;
  length: number;
  content: 0 | 1;
  sequenceNumber: bigint;
  addedSnapshotId: bigint;
  added: number;
  existing: number;
  deleted: number;
  addedRows: bigint;
}

export interface PartitionFieldSpec {
  sourceId: number;
  fieldId: number;
  name: string;
}

function partitionFields(
  spec: readonly PartitionFieldSpec[],
  fields: readonly IcebergJsonField[],
): Record<string, unknown>[] {
  return spec.map((p) => {
    const source = fields.find((f) => f.id === p.sourceId);
    if (!source || typeof source.type !== 'string')
      throw new Error(`Partition source ${p.sourceId} must be a primitive column`);
    return { name: p.name, type: ['null', partitionAvroType(source.type)], default: null, 'field-id': p.fieldId };
  });
}

/** Writes a manifest with entries `(status, file)`; returns its manifest list entry. */
export async function writeManifest(options: {
  location: string;
  recordedPath: string;
  formatVersion: number;
  content: 0 | 1;
  entries: { status: 0 | 1 | 2; file: WrittenFile }[];
  snapshotId: bigint;
  sequenceNumber: bigint;
  schemaJson: unknown;
  spec: readonly PartitionFieldSpec[];
  fields: readonly IcebergJsonField[];
}): Promise<WrittenManifest> {
  const { formatVersion, snapshotId } = options;
  const schema = manifestEntrySchema(formatVersion, partitionFields(options.spec, options.fields));
  const records = options.entries.map(({ status, file }) => {
    const dataFile: Record<string, unknown> = {
      file_path: file.path,
      file_format: file.format,
      partition: Object.fromEntries(options.spec.map((p) => [p.name, file.partition[p.name] ?? null])),
      record_count: BigInt(file.recordCount),
      file_size_in_bytes: BigInt(file.fileSizeInBytes),
      column_sizes: null,
      value_counts: null,
      null_value_counts: file.stats ? file.stats.nullValueCounts.map(([key, value]) => ({ key, value })) : null,
      lower_bounds: file.stats ? file.stats.lowerBounds.map(([key, v]) => ({ key, value: Buffer.from(v) })) : null,
      upper_bounds: file.stats ? file.stats.upperBounds.map(([key, v]) => ({ key, value: Buffer.from(v) })) : null,
      key_metadata: null,
      split_offsets: null,
      sort_order_id: null,
    };
    if (formatVersion === 1) dataFile.block_size_in_bytes = 67108864n;
    if (formatVersion >= 2) {
      dataFile.content = file.content;
      dataFile.equality_ids = file.equalityIds ?? null;
      dataFile.referenced_data_file = file.referencedDataFile ?? null;
    }
    if (formatVersion >= 3) {
      dataFile.content_offset = file.contentOffset ?? null;
      dataFile.content_size_in_bytes = file.contentSizeInBytes ?? null;
    }
    const entry: Record<string, unknown> = {
      status,
      snapshot_id: status === 1 ? snapshotId : (file.snapshotId ?? snapshotId),
      data_file: dataFile,
    };
    if (formatVersion >= 2) {
      entry.sequence_number = status === 1 ? null : (file.sequenceNumber ?? null);
      entry.file_sequence_number = status === 1 ? null : (file.sequenceNumber ?? null);
    }
    return entry;
  });
  const bytes = await writeAvroFile(schema, records, {
    schema: JSON.stringify(options.schemaJson),
    'partition-spec': JSON.stringify(
      options.spec.map((p) => ({
        'source-id': p.sourceId,
        'field-id': p.fieldId,
        name: p.name,
        transform: 'identity',
      })),
    ),
    'partition-spec-id': '0',
    'format-version': String(formatVersion),
    content: options.content === 0 ? 'data' : 'deletes',
  });
  await writeFile(options.location, bytes);
  const count = (s: number): number => options.entries.filter((e) => e.status === s).length;
  return {
    path: options.recordedPath,
    length: bytes.length,
    content: options.content,
    sequenceNumber: options.sequenceNumber,
    addedSnapshotId: snapshotId,
    added: count(1),
    existing: count(0),
    deleted: count(2),
    addedRows: BigInt(options.entries.filter((e) => e.status === 1).reduce((n, e) => n + e.file.recordCount, 0)),
  };
}

/** Writes a manifest list for a snapshot. */
export async function writeManifestList(options: {
  location: string;
  formatVersion: number;
  manifests: readonly WrittenManifest[];
  snapshotId: bigint;
  parentSnapshotId: bigint | undefined;
  sequenceNumber: bigint;
}): Promise<void> {
  const { formatVersion } = options;
  const records = options.manifests.map((m) =>
    formatVersion === 1
      ? {
          manifest_path: m.path,
          manifest_length: BigInt(m.length),
          partition_spec_id: 0,
          added_snapshot_id: m.addedSnapshotId,
          added_data_files_count: m.added,
          existing_data_files_count: m.existing,
          deleted_data_files_count: m.deleted,
          partitions: null,
          added_rows_count: m.addedRows,
          existing_rows_count: null,
          deleted_rows_count: null,
        }
      : {
          manifest_path: m.path,
          manifest_length: BigInt(m.length),
          partition_spec_id: 0,
          content: m.content,
          sequence_number: m.sequenceNumber,
          min_sequence_number: m.sequenceNumber,
          added_snapshot_id: m.addedSnapshotId,
          added_files_count: m.added,
          existing_files_count: m.existing,
          deleted_files_count: m.deleted,
          added_rows_count: m.addedRows,
          existing_rows_count: 0n,
          deleted_rows_count: 0n,
          partitions: null,
          key_metadata: null,
        },
  );
  const metadata: Record<string, string> = {
    'snapshot-id': String(options.snapshotId),
    'parent-snapshot-id': options.parentSnapshotId === undefined ? 'null' : String(options.parentSnapshotId),
    'format-version': String(formatVersion),
  };
  if (formatVersion >= 2) metadata['sequence-number'] = String(options.sequenceNumber);
  await writeFile(options.location, await writeAvroFile(manifestFileSchema(formatVersion), records, metadata));
}
