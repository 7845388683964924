/**
 * How 64-bit integers (int64, uint64, durations) are written to JSON:
 * - `number` (default): a JSON number with the exact digits, e.g. `9007199254740993` (JSON has no precision
 *   limit; parsers with big-number support read it exactly, `JSON.parse` in JavaScript rounds beyond 2^53);
 * - `string`: always a JSON string of the exact digits, e.g. `"42"`;
 * - `auto`: a JSON number when |v| ≤ 2^53−1, else a JSON string.
 */
export type Int64Encoding = 'number' | 'string' | 'auto';

/**
 * How decimals are written to JSON: `number` (default) a JSON number with the exact digits and the
 * column's scale, e.g. `1234.50`; `string`, the same text quoted, e.g. `"1234.50"`.
 */
export type DecimalEncoding = 'number' | 'string';

/** Options of the Arrow → JSON encoder. */
export interface JsonEncodingOptions {
  /** Default `number` (exact digits). */
  readonly int64?: Int64Encoding;
  /** Default `number` (exact digits, scale kept). */
  readonly decimal?: DecimalEncoding;
}

/** How 64-bit integers appear in `rows`: `bigint` (default, exact), `string` (exact, JSON-safe), `auto` (number when safe, else string). */
export type RowsInt64 = 'bigint' | 'string' | 'auto';

/** Options of {@link batchToRows}. */
export interface RowsOptions {
  /** Default `bigint`. */
  readonly int64?: RowsInt64;
}

/** Options with defaults applied. */
export interface ResolvedJsonOptions {
  readonly int64: Int64Encoding;
  readonly decimal: DecimalEncoding;
}

/** Applies the defaults. */
export function resolveJsonOptions(options: JsonEncodingOptions = {}): ResolvedJsonOptions {
  return { int64: options.int64 ?? 'number', decimal: options.decimal ?? 'number' };
}
