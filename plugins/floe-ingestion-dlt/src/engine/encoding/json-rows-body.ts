import type { RecordBatch } from 'apache-arrow';
import { encodeJsonRows } from './encode-json.js';
import type { JsonBodyFraming } from './json-body-framing.js';
import type { JsonEncodingOptions } from './encoding-options.js';

/**
 * The JSON objects of a batch's rows written once into one UTF-8 request body (`open` row `,` row … `close`),
 * with where each row ends, so that the body of any run of rows can be cut from it without encoding again.
 */
export interface JsonRowsBody {
  /** `open`, the rows joined by commas, `close`: the body of the whole batch. */
  readonly body: Buffer;
  /** `ends[i]`: the byte offset in `body` just after row `i` (before its comma). */
  readonly ends: Uint32Array;
  /** The byte length of `open`: row 0 starts there. */
  readonly openBytes: number;
}

/**
 * Encodes `batch` as {@link JsonRowsBody}: every row once, column-wise from the Arrow buffers (the value rules
 * of {@link encodeJsonRows}), written straight into one buffer framed by `framing` (`[`…`]` by default).
 *
 * @example
 * ```ts
 * const encoded = encodeJsonRowsBody(batch);
 * const whole = encoded.body;                  // '[{"id":1},{"id":2},{"id":3}]'
 * const second = jsonRowsRange(encoded, 1, 2); // '[{"id":2}]'
 * ```
 */
export function encodeJsonRowsBody(
  batch: RecordBatch,
  options?: JsonEncodingOptions,
  framing: JsonBodyFraming = {},
): JsonRowsBody {
  return writeJsonRows(encodeJsonRows(batch, options), framing);
}

/** Writes `rows` (JSON object texts) joined by commas between the framing into one UTF-8 buffer, noting row ends. */
export function writeJsonRows(rows: readonly string[], framing: JsonBodyFraming = {}): JsonRowsBody {
  const open = framing.open ?? '[';
  const close = framing.close ?? ']';
  const ends = new Uint32Array(rows.length);
  let chars = open.length + close.length + rows.length;
  for (const row of rows) chars += row.length;
  // ASCII is the common case: start with one byte per character and grow when a row could not fit as UTF-8.
  let buffer: Buffer = Buffer.allocUnsafe(chars + 16);
  const openBytes = buffer.write(open, 0);
  let at = openBytes;
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as string;
    if (buffer.length - at < row.length * 3 + 1) buffer = ensure(buffer, at, at + 1 + Buffer.byteLength(row));
    if (i > 0) buffer[at++] = 0x2c;
    at += buffer.write(row, at);
    ends[i] = at;
  }
  buffer = ensure(buffer, at, at + Buffer.byteLength(close));
  at += buffer.write(close, at);
  return { body: buffer.subarray(0, at), ends, openBytes };
}

/**
 * The body of rows `[start, end)` of an encoded batch, framed like the whole: the whole body itself when the
 * range is every row, else a copy of those rows' bytes between the framing.
 */
export function jsonRowsRange(encoded: JsonRowsBody, start: number, end: number): Buffer {
  const { body, ends, openBytes } = encoded;
  if (start === 0 && end === ends.length) return body;
  const lastEnd = ends[ends.length - 1] ?? openBytes;
  const open = body.subarray(0, openBytes);
  const close = body.subarray(lastEnd);
  if (end <= start) return Buffer.concat([open, close]);
  const from = start === 0 ? openBytes : (ends[start - 1] as number) + 1;
  return Buffer.concat([open, body.subarray(from, ends[end - 1] as number), close]);
}

/** `buffer` if it holds `needed` bytes, else a copy of its first `used` bytes in one at least twice as big. */
function ensure(buffer: Buffer, used: number, needed: number): Buffer {
  if (needed <= buffer.length) return buffer;
  const bigger = Buffer.allocUnsafe(Math.max(needed + 16, buffer.length * 2));
  buffer.copy(bigger, 0, 0, used);
  return bigger;
}
