import type { RecordBatch } from 'apache-arrow';
import { encodeJsonRows } from './encode-json.js';
import { writeJsonRows } from './json-rows-body.js';
import type { JsonEncodingOptions } from './encoding-options.js';
import type { JsonBodyFraming } from './json-body-framing.js';

/** Writes `rows` joined by commas between `open` and `close` straight into one UTF-8 buffer (no joined string). */
export function joinJsonRows(rows: readonly string[], framing: JsonBodyFraming = {}): Buffer {
  return writeJsonRows(rows, framing).body;
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
