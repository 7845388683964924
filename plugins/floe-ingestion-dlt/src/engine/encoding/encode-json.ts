import type { Data, RecordBatch } from 'apache-arrow';
import { resolveJsonOptions, type JsonEncodingOptions } from './encoding-options.js';
import { jsonColumn } from './json-column.js';
import { assembleObjects } from './assemble-objects.js';

/**
 * The JSON object text of every row of `batch` (`{"id":1,"email":"a@b.c"}`), encoded column by column
 * straight from the Arrow buffers (no row objects). Every column appears in every object; nulls are `null`.
 *
 * Value rules: integers → JSON numbers (64-bit: exact digits, see `int64`); float → number (NaN/±Infinity →
 * the strings `"NaN"`, `"Infinity"`, `"-Infinity"`; float32 as its shortest round-trip text); decimal → exact
 * number text with the column's scale (or a string, see `decimal`); bool → `true`/`false`; utf8 → string;
 * binary and fixed-size binary → base64 string; `arrow.uuid` → `"8-4-4-4-12"` hex; date → `"YYYY-MM-DD"`;
 * time → `"HH:MM:SS[.fff…]"`; timestamp with a time zone → `"YYYY-MM-DDTHH:MM:SS[.f…]Z"` (UTC, fraction digits
 * by unit: 3 ms, 6 µs, 9 ns); timestamp without a zone → the same without `Z`; duration → integer in its unit;
 * list → array; struct → object; map → object (non-string keys written as strings); dictionary → its value.
 *
 * @example
 * ```ts
 * const rows = encodeJsonRows(batch); // ['{"id":9007199254740993,"at":"2024-05-01T10:00:00.123456Z"}', …]
 * const body = `[${rows.join(',')}]`;
 * ```
 */
export function encodeJsonRows(batch: RecordBatch, options?: JsonEncodingOptions): string[] {
  const resolved = resolveJsonOptions(options);
  const fields = batch.schema.fields;
  const columns = fields.map((field, j) => jsonColumn(batch.data.children[j] as Data, field, resolved));
  return assembleObjects(
    fields.map((field) => field.name),
    columns,
    batch.numRows,
    undefined,
  );
}

/** The rows of `batch` as one JSON array text, `[{…},{…}]`. */
export function encodeJsonArray(batch: RecordBatch, options?: JsonEncodingOptions): string {
  return `[${encodeJsonRows(batch, options).join(',')}]`;
}
