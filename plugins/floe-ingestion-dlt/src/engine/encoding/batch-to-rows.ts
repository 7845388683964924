import type { Data, RecordBatch } from 'apache-arrow';
import type { RowsOptions } from './encoding-options.js';
import { rowColumn } from './row-column.js';

/**
 * Plain row objects for `rows`-format destinations, built column by column (no Arrow row proxies).
 *
 * Values follow the JSON encoder's rules, as JavaScript values: integers up to 32 bits and floats → `number`;
 * 64-bit integers and durations → `bigint` by default (exact, but NOT JSON-safe: `JSON.stringify` throws;
 * choose `int64: 'string'` or `'auto'` for JSON-safe rows); decimal → exact `string` (`"1234.50"`);
 * date → `"YYYY-MM-DD"`; time → `"HH:MM:SS[.f…]"`; timestamp → ISO-8601 string with full precision (`Z` when
 * zoned); binary → base64 string; `arrow.uuid` → hex string; list → array; struct → object; map → object;
 * dictionary → its value; null → `null`.
 *
 * @example
 * ```ts
 * const rows = batchToRows(batch, { int64: 'auto' }); // [{ id: 1, at: '2024-05-01T10:00:00.123456Z' }, …]
 * ```
 */
export function batchToRows(batch: RecordBatch, options: RowsOptions = {}): Record<string, unknown>[] {
  const int64 = options.int64 ?? 'bigint';
  const fields = batch.schema.fields;
  const columns = fields.map((field, j) => rowColumn(batch.data.children[j] as Data, field, int64));
  const n = batch.numRows;
  const rows = new Array<Record<string, unknown>>(n);
  for (let i = 0; i < n; i += 1) {
    const row: Record<string, unknown> = {};
    for (let j = 0; j < fields.length; j += 1) row[(fields[j] as { name: string }).name] = (columns[j] as unknown[])[i];
    rows[i] = row;
  }
  return rows;
}
