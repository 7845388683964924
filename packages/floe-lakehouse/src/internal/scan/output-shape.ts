import { Schema } from 'apache-arrow';
import { IcebergUnsupportedError, LakehouseConfigError } from '../../errors.js';
import { columnSpec } from '../arrow/batch-projector.js';
import { icebergToArrowField } from '../arrow/iceberg-arrow-type.js';
import { findFieldById, type IcebergSchema, type NestedField } from '../metadata/iceberg-schema.js';
import { schemaById, type Snapshot, type TableMetadata } from '../metadata/table-metadata.js';
import type { OutputShape } from './read-task.js';

/** The Iceberg schema a scan uses: the current one, or the snapshot's with `useSnapshotSchema`. */
export function scanSchema(
  meta: TableMetadata,
  snapshot: Snapshot | null,
  useSnapshotSchema: boolean | undefined,
): IcebergSchema {
  return useSnapshotSchema && snapshot?.schemaId !== undefined ? schemaById(meta, snapshot.schemaId) : schemaById(meta);
}

/** Output columns and Arrow schema for a projection (`columns` in the order given, default all). */
export function outputShape(schema: IcebergSchema, columns: readonly string[] | undefined): OutputShape {
  let fields: NestedField[] = schema.fields;
  if (columns) {
    fields = [...new Set(columns)].map((name) => {
      const field = schema.fields.find((f) => f.name === name);
      if (!field) {
        throw new LakehouseConfigError(
          `Unknown column "${name}" (available: ${schema.fields.map((f) => JSON.stringify(f.name)).join(', ')})`,
          { keyPath: 'columns' },
        );
      }
      return field;
    });
  }
  const arrowSchema = new Schema(
    fields.map((f) => icebergToArrowField(f)),
    new Map([['iceberg.schema_id', String(schema.schemaId)]]),
  );
  return { columns: fields.map(columnSpec), schema: arrowSchema };
}

function orderedSchemas(meta: TableMetadata): IcebergSchema[] {
  const current = schemaById(meta);
  return [current, ...meta.schemas.filter((s) => s !== current).sort((a, b) => b.schemaId - a.schemaId)];
}

/**
 * Top-level field by id, looked up in the current schema first, then in older schemas (newest
 * first): equality deletes and partitions may reference columns dropped since.
 */
export function topLevelFieldLookup(meta: TableMetadata): (id: number) => NestedField | undefined {
  const ordered = orderedSchemas(meta);
  return (id) => {
    for (const s of ordered) {
      const field = s.fields.find((f) => f.id === id);
      if (field) return field;
    }
    return undefined;
  };
}

/** Like {@link topLevelFieldLookup} for equality delete columns: a nested field id is refused. */
export function equalityFieldLookup(meta: TableMetadata): (id: number) => NestedField | undefined {
  const lookup = topLevelFieldLookup(meta);
  const ordered = orderedSchemas(meta);
  return (id) => {
    const field = lookup(id);
    if (!field && ordered.some((s) => findFieldById(s.fields, id))) {
      throw new IcebergUnsupportedError(
        'equality deletes on nested fields',
        `Equality deletes on the nested field id ${id} are not supported`,
      );
    }
    return field;
  };
}
