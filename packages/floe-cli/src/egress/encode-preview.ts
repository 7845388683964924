import { makeData, RecordBatch, Schema, Field, Struct } from 'apache-arrow';
import type { SinkConfig } from '@floe/core';
import { batchToRows, encodeJsonRows, normalizeName } from '@floe/ingestion-dlt';
import type { EncodedRows } from './engine.js';

/**
 * The first `limit` rows of `batch` as the sink of `config` would send them: columns renamed by the
 * field mapping and the sink's naming convention, then encoded — JSON objects for `rest_api` (with
 * its `int64` / `decimal` settings; each row's JSON text is kept in `json`), plain row values for
 * `sql_database` and other sinks.
 */
export function encodePreviewRows(config: SinkConfig, batch: RecordBatch, limit: number): EncodedRows {
  if (limit <= 0 || batch.numRows === 0) return { rows: [] };
  const settings = config.connectionConfig;
  const naming = settings.naming_convention === 'snake_case' ? 'snake_case' : 'direct';
  const renamed = rename(batch.slice(0, Math.min(limit, batch.numRows)), config.fieldMapping ?? {}, naming);
  if (config.sinkType === 'rest_api') {
    const json = encodeJsonRows(renamed, {
      ...(isOneOf(settings.int64, ['number', 'string', 'auto']) && { int64: settings.int64 }),
      ...(isOneOf(settings.decimal, ['number', 'string']) && { decimal: settings.decimal }),
    });
    return { rows: json.map((text) => JSON.parse(text) as Record<string, unknown>), json };
  }
  return { rows: batchToRows(renamed, { int64: 'string' }) };
}

function rename(
  batch: RecordBatch,
  mapping: Readonly<Record<string, string>>,
  naming: 'direct' | 'snake_case',
): RecordBatch {
  const fields = batch.schema.fields.map(
    (field) =>
      new Field(normalizeName(mapping[field.name] ?? field.name, naming), field.type, field.nullable, field.metadata),
  );
  const data = makeData({
    type: new Struct(fields),
    length: batch.numRows,
    nullCount: 0,
    children: batch.data.children,
  });
  return new RecordBatch(new Schema(fields, batch.schema.metadata), data);
}

function isOneOf<T extends string>(value: unknown, options: readonly T[]): value is T {
  return typeof value === 'string' && (options as readonly string[]).includes(value);
}
