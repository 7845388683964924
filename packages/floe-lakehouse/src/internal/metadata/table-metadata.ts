import { IcebergMetadataError, IcebergUnsupportedError } from '../../errors.js';
import { asRecord, toBigInt, toSafeNumber } from '../util/values.js';
import { parseSchema, type IcebergSchema } from './iceberg-schema.js';

export interface PartitionField {
  sourceId: number;
  fieldId: number;
  name: string;
  transform: string;
}

export interface PartitionSpec {
  specId: number;
  fields: PartitionField[];
}

export interface Snapshot {
  snapshotId: bigint;
  parentSnapshotId?: bigint;
  sequenceNumber: bigint;
  timestampMs: number;
  /** v2+: location of the manifest list. */
  manifestList?: string;
  /** v1 only: manifests listed inline instead of a manifest list. */
  manifests?: string[];
  summary: Record<string, string>;
  schemaId?: number;
}

export interface SnapshotRef {
  snapshotId: bigint;
  type: string;
}

/** Normalised table metadata (v1, v2 and v3 share this shape). */
export interface TableMetadata {
  formatVersion: number;
  tableUuid?: string;
  location: string;
  lastUpdatedMs: number;
  lastSequenceNumber: bigint;
  schemas: IcebergSchema[];
  currentSchemaId: number;
  specs: PartitionSpec[];
  defaultSpecId: number;
  properties: Record<string, string>;
  currentSnapshotId: bigint | null;
  snapshots: Snapshot[];
  snapshotLog: { timestampMs: number; snapshotId: bigint }[];
  refs: Record<string, SnapshotRef>;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(value) ?? {})) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

function parseSpecFields(json: unknown, where: string, nextId: { value: number }): PartitionField[] {
  if (!Array.isArray(json)) throw new IcebergMetadataError(`Invalid partition spec at ${where}`);
  return json.map((raw, i) => {
    const f = asRecord(raw) ?? {};
    const fieldId =
      f['field-id'] === undefined ? nextId.value++ : toSafeNumber(f['field-id'], `${where}[${i}].field-id`);
    return {
      sourceId: toSafeNumber(f['source-id'], `${where}[${i}].source-id`),
      fieldId,
      name: String(f.name ?? `field_${fieldId}`),
      transform: String(f.transform ?? 'identity'),
    };
  });
}

function parseSpecs(doc: Record<string, unknown>): { specs: PartitionSpec[]; defaultSpecId: number } {
  const nextId = { value: 1000 };
  if (Array.isArray(doc['partition-specs'])) {
    const specs = doc['partition-specs'].map((raw, i) => {
      const s = asRecord(raw) ?? {};
      return {
        specId: toSafeNumber(s['spec-id'], `partition-specs[${i}].spec-id`),
        fields: parseSpecFields(s.fields, `partition-specs[${i}].fields`, nextId),
      };
    });
    const defaultSpecId =
      doc['default-spec-id'] === undefined
        ? (specs[0]?.specId ?? 0)
        : toSafeNumber(doc['default-spec-id'], 'default-spec-id');
    return { specs, defaultSpecId };
  }
  // v1: a single `partition-spec` array.
  const fields =
    doc['partition-spec'] === undefined ? [] : parseSpecFields(doc['partition-spec'], 'partition-spec', nextId);
  return { specs: [{ specId: 0, fields }], defaultSpecId: 0 };
}

function parseSnapshot(raw: unknown, i: number): Snapshot {
  const s = asRecord(raw);
  if (!s) throw new IcebergMetadataError(`Invalid snapshot #${i}`);
  const snapshot: Snapshot = {
    snapshotId: toBigInt(s['snapshot-id'], `snapshots[${i}].snapshot-id`),
    sequenceNumber:
      s['sequence-number'] === undefined ? 0n : toBigInt(s['sequence-number'], `snapshots[${i}].sequence-number`),
    timestampMs: toSafeNumber(s['timestamp-ms'], `snapshots[${i}].timestamp-ms`),
    summary: stringMap(s.summary),
  };
  if (s['parent-snapshot-id'] !== undefined && s['parent-snapshot-id'] !== null) {
    snapshot.parentSnapshotId = toBigInt(s['parent-snapshot-id'], `snapshots[${i}].parent-snapshot-id`);
  }
  if (typeof s['manifest-list'] === 'string') snapshot.manifestList = s['manifest-list'];
  if (Array.isArray(s.manifests)) snapshot.manifests = s.manifests.map(String);
  if (s['schema-id'] !== undefined && s['schema-id'] !== null)
    snapshot.schemaId = toSafeNumber(s['schema-id'], `snapshots[${i}].schema-id`);
  if (snapshot.manifestList === undefined && snapshot.manifests === undefined) {
    throw new IcebergMetadataError(`Snapshot ${snapshot.snapshotId} has neither a manifest-list nor manifests`);
  }
  return snapshot;
}

function parseSchemas(doc: Record<string, unknown>): { schemas: IcebergSchema[]; currentSchemaId: number } {
  if (Array.isArray(doc.schemas) && doc.schemas.length > 0) {
    const schemas = doc.schemas.map((s, i) => parseSchema(s, `schemas[${i}]`));
    const currentSchemaId =
      doc['current-schema-id'] === undefined
        ? (schemas[0] as IcebergSchema).schemaId
        : toSafeNumber(doc['current-schema-id'], 'current-schema-id');
    return { schemas, currentSchemaId };
  }
  if (doc.schema !== undefined) {
    const schema = parseSchema(doc.schema);
    return { schemas: [schema], currentSchemaId: schema.schemaId };
  }
  throw new IcebergMetadataError('Table metadata has no schema');
}

/** Validates and normalises a parsed `*.metadata.json` document. */
export function parseTableMetadata(json: unknown, location: string): TableMetadata {
  const doc = asRecord(json);
  if (!doc) throw new IcebergMetadataError(`Table metadata at ${location} is not a JSON object`, { location });
  try {
    const formatVersion = toSafeNumber(doc['format-version'] ?? 1, 'format-version');
    if (formatVersion < 1 || formatVersion > 3) {
      throw new IcebergUnsupportedError(
        `Iceberg format version ${formatVersion}`,
        `Unsupported Iceberg format version ${formatVersion} (supported: 1, 2, 3 without deletion vectors)`,
      );
    }
    if (Array.isArray(doc['encryption-keys']) && doc['encryption-keys'].length > 0) {
      throw new IcebergUnsupportedError('table encryption', 'Encrypted Iceberg tables are not supported');
    }
    if (typeof doc.location !== 'string') throw new IcebergMetadataError('Table metadata has no location');
    const current = doc['current-snapshot-id'];
    const currentSnapshotId =
      current === undefined || current === null ? null : toBigInt(current, 'current-snapshot-id');
    const refs: Record<string, SnapshotRef> = {};
    for (const [name, raw] of Object.entries(asRecord(doc.refs) ?? {})) {
      const r = asRecord(raw) ?? {};
      refs[name] = {
        snapshotId: toBigInt(r['snapshot-id'], `refs.${name}.snapshot-id`),
        type: String(r.type ?? 'branch'),
      };
    }
    return {
      formatVersion,
      ...(typeof doc['table-uuid'] === 'string' ? { tableUuid: doc['table-uuid'] } : {}),
      location: doc.location,
      lastUpdatedMs: doc['last-updated-ms'] === undefined ? 0 : toSafeNumber(doc['last-updated-ms'], 'last-updated-ms'),
      lastSequenceNumber:
        doc['last-sequence-number'] === undefined ? 0n : toBigInt(doc['last-sequence-number'], 'last-sequence-number'),
      ...parseSchemas(doc),
      ...parseSpecs(doc),
      properties: stringMap(doc.properties),
      currentSnapshotId: currentSnapshotId === -1n ? null : currentSnapshotId,
      snapshots: Array.isArray(doc.snapshots) ? doc.snapshots.map(parseSnapshot) : [],
      snapshotLog: (Array.isArray(doc['snapshot-log']) ? doc['snapshot-log'] : []).map((raw, i) => {
        const e = asRecord(raw) ?? {};
        return {
          timestampMs: toSafeNumber(e['timestamp-ms'], `snapshot-log[${i}].timestamp-ms`),
          snapshotId: toBigInt(e['snapshot-id'], `snapshot-log[${i}].snapshot-id`),
        };
      }),
      refs,
    };
  } catch (cause) {
    if (cause instanceof IcebergUnsupportedError || cause instanceof IcebergMetadataError) throw cause;
    throw new IcebergMetadataError(`Invalid table metadata at ${location}: ${(cause as Error).message}`, {
      location,
      cause,
    });
  }
}

/** The schema with the given id (the current schema by default). */
export function schemaById(meta: TableMetadata, schemaId = meta.currentSchemaId): IcebergSchema {
  const schema = meta.schemas.find((s) => s.schemaId === schemaId);
  if (!schema) throw new IcebergMetadataError(`Table metadata has no schema with id ${schemaId}`);
  return schema;
}
