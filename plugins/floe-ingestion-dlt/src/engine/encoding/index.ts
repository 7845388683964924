// Arrow → JSON text and Arrow → plain rows, column-wise.
export { encodeJsonRows, encodeJsonArray } from './encode-json.js';
export { batchToRows } from './batch-to-rows.js';
export { encodeJsonBody, joinJsonRows } from './encode-json-body.js';
export { encodeJsonRowsBody, jsonRowsRange } from './json-rows-body.js';
export type { JsonRowsBody } from './json-rows-body.js';
export type { JsonBodyFraming } from './json-body-framing.js';
export { resolveJsonOptions } from './encoding-options.js';
export type {
  DecimalEncoding,
  Int64Encoding,
  JsonEncodingOptions,
  ResolvedJsonOptions,
  RowsInt64,
  RowsOptions,
} from './encoding-options.js';
