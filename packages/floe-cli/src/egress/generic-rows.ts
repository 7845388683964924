import type { RecordBatch } from 'apache-arrow';
import type { EncodedRows, SinkConfig } from '@floe/core';

/**
 * The first `limit` rows of `batch` for a sink whose descriptor does not say how it encodes rows: values by
 * destination column (source names after `field_mapping`), 64-bit integers as strings so no digit is lost.
 */
export function genericRows(config: SinkConfig, batch: RecordBatch, limit: number): EncodedRows {
  const mapping = config.fieldMapping ?? {};
  const names = batch.schema.fields.map((field) => field.name);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < Math.min(limit, batch.numRows); i += 1) {
    const row: Record<string, unknown> = {};
    for (const [c, name] of names.entries()) {
      const value: unknown = batch.getChildAt(c)?.get(i);
      row[mapping[name] ?? name] = typeof value === 'bigint' ? value.toString() : value;
    }
    rows.push(row);
  }
  return { rows };
}
