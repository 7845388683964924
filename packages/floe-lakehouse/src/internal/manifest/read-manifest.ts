import { IcebergMetadataError } from '../../errors.js';
import { readAvroFile } from '../avro/read-avro-file.js';
import type { FileIO } from '../io/file-io.js';
import type { PathResolver } from '../io/path-resolver.js';
import { asRecord, toBigInt, toSafeNumber } from '../util/values.js';
import type { ManifestFile } from './read-manifest-list.js';

/** File content codes of the Iceberg spec. */
export const CONTENT_DATA = 0;
export const CONTENT_POSITION_DELETES = 1;
export const CONTENT_EQUALITY_DELETES = 2;

/** A live (not DELETED) data or delete file of a snapshot, with inherited sequence number. */
export interface ContentFile {
  content: number;
  /** Location as recorded in the manifest (position deletes reference data files by this). */
  filePath: string;
  /** Upper-cased file format (`PARQUET`, `ORC`, `AVRO`, `PUFFIN`). */
  fileFormat: string;
  specId: number;
  /** Partition tuple as a record keyed by partition field name (Avro field order = spec order). */
  partition: Record<string, unknown>;
  recordCount: number;
  fileSizeInBytes: number;
  /** Data sequence number (inherited from the manifest when null). */
  sequenceNumber: bigint;
  lowerBounds: Map<number, Uint8Array>;
  upperBounds: Map<number, Uint8Array>;
  /** Null values per field id (only fields the writer recorded). */
  nullValueCounts: Map<number, number>;
  equalityIds: number[];
  referencedDataFile?: string;
  /** v3 deletion vectors: offset of the blob inside a Puffin file. */
  contentOffset?: bigint;
  encrypted: boolean;
}

function boundsMap(value: unknown): Map<number, Uint8Array> {
  const map = new Map<number, Uint8Array>();
  if (!Array.isArray(value)) return map;
  for (const item of value) {
    const kv = asRecord(item);
    if (kv && kv.value instanceof Uint8Array) map.set(toSafeNumber(kv.key, 'bound key'), kv.value);
  }
  return map;
}

function countsMap(value: unknown): Map<number, number> {
  const map = new Map<number, number>();
  if (!Array.isArray(value)) return map;
  for (const item of value) {
    const kv = asRecord(item);
    if (kv && kv.value !== null && kv.value !== undefined)
      map.set(toSafeNumber(kv.key, 'count key'), toSafeNumber(kv.value, 'null_value_counts'));
  }
  return map;
}

function parseEntry(
  record: Record<string, unknown>,
  manifest: ManifestFile,
  specId: number,
): { status: number; file: ContentFile } {
  const status = toSafeNumber(record.status, 'status');
  const df = asRecord(record.data_file);
  if (!df) throw new Error('missing data_file');
  const recorded = record.sequence_number;
  const sequenceNumber =
    recorded !== undefined && recorded !== null
      ? toBigInt(recorded, 'sequence_number')
      : status === 1
        ? manifest.sequenceNumber
        : 0n;
  const file: ContentFile = {
    content: df.content === undefined || df.content === null ? CONTENT_DATA : toSafeNumber(df.content, 'content'),
    filePath: String(df.file_path),
    fileFormat: String(df.file_format).toUpperCase(),
    specId,
    partition: asRecord(df.partition) ?? {},
    recordCount: toSafeNumber(df.record_count, 'record_count'),
    fileSizeInBytes: toSafeNumber(df.file_size_in_bytes, 'file_size_in_bytes'),
    sequenceNumber,
    lowerBounds: boundsMap(df.lower_bounds),
    upperBounds: boundsMap(df.upper_bounds),
    nullValueCounts: countsMap(df.null_value_counts),
    equalityIds: Array.isArray(df.equality_ids) ? df.equality_ids.map((v) => toSafeNumber(v, 'equality_ids')) : [],
    encrypted: df.key_metadata instanceof Uint8Array && df.key_metadata.length > 0,
  };
  if (typeof df.referenced_data_file === 'string') file.referencedDataFile = df.referenced_data_file;
  if (df.content_offset !== undefined && df.content_offset !== null)
    file.contentOffset = toBigInt(df.content_offset, 'content_offset');
  return { status, file };
}

/** Reads a manifest and returns its live entries (status EXISTING or ADDED; DELETED are skipped). */
export async function readManifest(
  io: FileIO,
  paths: PathResolver,
  manifest: ManifestFile,
  signal?: AbortSignal,
): Promise<ContentFile[]> {
  const location = paths.resolve(manifest.path);
  const avro = await readAvroFile(await io.readFile(location, signal), location);
  const headerSpec = avro.metadata['partition-spec-id'];
  const specId = manifest.specId ?? (headerSpec === undefined ? 0 : Number(headerSpec));
  const files: ContentFile[] = [];
  avro.records.forEach((record, i) => {
    try {
      const { status, file } = parseEntry(record, manifest, specId);
      if (status !== 2) files.push(file);
    } catch (cause) {
      throw new IcebergMetadataError(`Invalid manifest entry #${i} in ${location}: ${(cause as Error).message}`, {
        location,
        cause,
      });
    }
  });
  return files;
}
