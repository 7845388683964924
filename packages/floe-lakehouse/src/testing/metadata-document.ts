import type { PartitionFieldSpec } from './write-manifests.js';
import type { IcebergJsonField } from './write-parquet-file.js';

/** What a table metadata document is made of. */
export interface MetadataState {
  formatVersion: number;
  uuid: string;
  location: string;
  lastUpdatedMs: number;
  lastSequenceNumber: bigint;
  schemas: { 'schema-id': number; type: 'struct'; fields: IcebergJsonField[] }[];
  spec: readonly PartitionFieldSpec[];
  properties: Record<string, string>;
  currentSnapshotId: bigint | undefined;
  snapshots: Record<string, unknown>[];
}

/** Builds a v1, v2 or v3 `*.metadata.json` document (bigints are written by lossless-json). */
export function metadataDocument(state: MetadataState): Record<string, unknown> {
  const schema = state.schemas[state.schemas.length - 1];
  const specFields = state.spec.map((p) => ({
    'source-id': p.sourceId,
    'field-id': p.fieldId,
    name: p.name,
    transform: 'identity',
  }));
  const doc: Record<string, unknown> = {
    'format-version': state.formatVersion,
    'table-uuid': state.uuid,
    location: state.location,
    'last-updated-ms': state.lastUpdatedMs,
    'last-column-id': Math.max(0, ...state.schemas.flatMap((s) => s.fields.map((f) => f.id))),
    properties: state.properties,
    'current-snapshot-id': state.currentSnapshotId ?? -1,
    snapshots: state.snapshots,
    'snapshot-log': state.snapshots.map((s) => ({
      'timestamp-ms': s['timestamp-ms'],
      'snapshot-id': s['snapshot-id'],
    })),
  };
  if (state.formatVersion === 1) return { ...doc, schema, 'partition-spec': specFields };
  return {
    ...doc,
    'last-sequence-number': state.lastSequenceNumber,
    'current-schema-id': schema?.['schema-id'] ?? 0,
    schemas: state.schemas,
    'default-spec-id': 0,
    'partition-specs': [{ 'spec-id': 0, fields: specFields }],
    'last-partition-id': 999 + state.spec.length,
    'default-sort-order-id': 0,
    'sort-orders': [{ 'order-id': 0, fields: [] }],
    refs:
      state.currentSnapshotId === undefined ? {} : { main: { 'snapshot-id': state.currentSnapshotId, type: 'branch' } },
  };
}
