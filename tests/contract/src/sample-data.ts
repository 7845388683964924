import { tableFromArrays, type Table } from 'apache-arrow';

/**
 * The default sample: five rows of `id` (int32), `email` (utf8, with a non-ASCII value) and
 * `score` (float64), types every destination can store and read back unchanged.
 */
export function sampleTable(): Table {
  return tableFromArrays({
    id: Int32Array.from([1, 2, 3, 4, 5]),
    email: ['ada@example.com', 'grace@example.com', 'linus@example.com', 'zoë@example.com', 'alan@example.com'],
    score: Float64Array.from([1.5, 2, 3.25, 4, 5.75]),
  });
}

/** The rows of an Arrow table as plain objects. */
export function tableRows(table: Table): Record<string, unknown>[] {
  return table.toArray().map((row) => ({ ...(row as { toJSON(): Record<string, unknown> }).toJSON() }));
}

/** A value as the suite compares it: bigint and numeric text as numbers, dates as ISO strings. */
export function normaliseValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && value.trim() !== '' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

/**
 * Rows reduced to the given fields, values normalised and sorted by `key`, so a destination's
 * extra columns and its row order do not matter.
 */
export function comparableRows(
  rows: readonly Record<string, unknown>[],
  fields: readonly string[],
  key: string,
): Record<string, unknown>[] {
  return rows
    .map((row) => Object.fromEntries(fields.map((field) => [field, normaliseValue(row[field])])))
    .sort((a, b) =>
      String(normaliseValue(a[key])).localeCompare(String(normaliseValue(b[key])), 'en', { numeric: true }),
    );
}
