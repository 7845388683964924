import { makeData, RecordBatch, Schema, Field, Struct } from 'apache-arrow';
import { isSyncColumn, type EncodedRows, type SinkConfig } from '@floe/core';
import { batchToRows } from '../encoding/batch-to-rows.js';
import { encodeJsonRows } from '../encoding/encode-json.js';
import { normalizeName } from './naming.js';

/**
 * The first `limit` rows of `batch` as JSON objects exactly as a JSON sink (`rest_api`) sends them: columns
 * renamed by the field mapping and the naming convention, encoded with the sink's `int64` / `decimal`
 * settings; each row's JSON text is kept in `json`.
 */
export function previewJsonRows(config: SinkConfig, batch: RecordBatch, limit: number): EncodedRows {
  if (limit <= 0 || batch.numRows === 0) return { rows: [] };
  const settings = config.connectionConfig;
  const json = encodeJsonRows(renamedHead(config, batch, limit), {
    ...(isOneOf(settings.int64, ['number', 'string', 'auto']) && { int64: settings.int64 }),
    ...(isOneOf(settings.decimal, ['number', 'string']) && { decimal: settings.decimal }),
  });
  return { rows: json.map((text) => JSON.parse(text) as Record<string, unknown>), json };
}

/** The first `limit` rows of `batch` as plain row values by destination column (a SQL sink). */
export function previewValueRows(config: SinkConfig, batch: RecordBatch, limit: number): EncodedRows {
  if (limit <= 0 || batch.numRows === 0) return { rows: [] };
  return { rows: batchToRows(renamedHead(config, batch, limit), { int64: 'string' }) };
}

/** The head of the batch as sent: renamed, without the sync bookkeeping columns (`_floe_*`, never sent). */
function renamedHead(config: SinkConfig, batch: RecordBatch, limit: number): RecordBatch {
  const naming = namingOf(config.connectionConfig);
  const head = batch.slice(0, Math.min(limit, batch.numRows));
  const mapping = config.fieldMapping ?? {};
  const kept = head.schema.fields.flatMap((field, j) => (isSyncColumn(field.name) ? [] : [{ field, j }]));
  const fields = kept.map(
    ({ field }) =>
      new Field(mapping[field.name] ?? normalizeName(field.name, naming), field.type, field.nullable, field.metadata),
  );
  const children = kept.map(({ j }) => head.data.children[j] as (typeof head.data.children)[number]);
  const data = makeData({ type: new Struct(fields), length: head.numRows, nullCount: 0, children });
  return new RecordBatch(new Schema(fields, head.schema.metadata), data);
}

/** The naming convention of a connection config: rest_api's `naming_convention` or sql_database's `naming`. */
function namingOf(connection: Readonly<Record<string, unknown>>): 'snake_case' | 'direct' {
  const value = connection.naming_convention ?? connection.naming;
  return value === 'snake_case' ? 'snake_case' : 'direct';
}

function isOneOf<T extends string>(value: unknown, options: readonly T[]): value is T {
  return typeof value === 'string' && (options as readonly string[]).includes(value);
}
