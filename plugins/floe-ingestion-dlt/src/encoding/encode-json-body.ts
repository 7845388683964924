import type { RecordBatch } from 'apache-arrow';
import { encodeJsonRows } from './encode-json.js';
import type { JsonEncodingOptions } from './encoding-options.js';

/** Text around the comma-separated rows of a body: `[`…`]` by default. */
export interface JsonBodyFraming {
  readonly open?: string;
  readonly close?: string;
}

/** Writes `rows` joined by commas between `open` and `close` straight into one UTF-8 buffer (no joined string). */
export function joinJsonRows(rows: readonly string[], framing: JsonBodyFraming = {}): Buffer {
  const open = framing.open ?? '[';
  const close = framing.close ?? ']';
  let chars = open.length + close.length + rows.length;
  for (const row of rows) chars += row.length;
  let buffer = Buffer.allocUnsafe(chars + 16);
  let at = buffer.write(open, 0);
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as string;
    // ASCII is the common case; grow only when a row could not fit as UTF-8.
    if (buffer.length - at < row.length * 3 + 1) {
      const needed = at + Buffer.byteLength(row) + 1 + Buffer.byteLength(close);
      if (needed > buffer.length) {
        const bigger = Buffer.allocUnsafe(Math.max(needed, buffer.length * 2));
        buffer.copy(bigger, 0, 0, at);
        buffer = bigger;
      }
    }
    if (i > 0) buffer[at++] = 0x2c;
    at += buffer.write(row, at);
  }
  if (buffer.length - at < close.length * 3) {
    const bigger = Buffer.allocUnsafe(at + close.length * 3);
    buffer.copy(bigger, 0, 0, at);
    buffer = bigger;
  }
  at += buffer.write(close, at);
  return buffer.subarray(0, at);
}

/**
 * A batch as one JSON request body, UTF-8, built straight into a buffer: `[{…},{…}]`, or with other
 * `framing` (e.g. `{"data":[` … `]}`). Same value rules as {@link encodeJsonRows}.
 *
 * @example
 * ```ts
 * const body = encodeJsonBody(batch); // Buffer of '[{"id":1},{"id":2}]'
 * ```
 */
export function encodeJsonBody(batch: RecordBatch, options?: JsonEncodingOptions, framing?: JsonBodyFraming): Buffer {
  return joinJsonRows(encodeJsonRows(batch, options), framing);
}
