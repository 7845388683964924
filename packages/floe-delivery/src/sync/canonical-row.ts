import * as crypto from 'node:crypto';
import { DateUnit, Type, type Data, type DataType, type RecordBatch } from 'apache-arrow';
import { DeliveryError } from '../delivery-error.js';
import { canonicalEncoder, canonicalJs } from './canonical-value.js';

function columnData(batch: RecordBatch, name: string): Data {
  const index = batch.schema.fields.findIndex((field) => field.name === name);
  const data = index < 0 ? undefined : (batch.getChildAt(index)?.data[0] as Data | undefined);
  if (data === undefined) {
    throw new DeliveryError(
      `the batch has no column ${JSON.stringify(name)} (columns: ${batch.schema.fields.map((f) => f.name).join(', ')})`,
      'SYNC_STATE_INVALID',
      { category: 'PERMANENT' },
    );
  }
  return data;
}

/**
 * The canonical text of a record's primary-key values: one value alone as its canonical JSON (`123`,
 * `"abc"`), several as a JSON array (`[1,"x"]`). Keys compare as exact strings. Integers (number or bigint)
 * are decimal, so an int32 and an int64 key of the same value have the same text.
 *
 * @example
 * ```ts
 * syncKeyText([123]);        // '123'
 * syncKeyText(['abc']);      // '"abc"'
 * syncKeyText([1n, 'eu']);   // '[1,"eu"]'
 * ```
 */
export function syncKeyText(values: readonly unknown[]): string {
  if (values.length === 1) return canonicalJs(values[0]);
  return `[${values.map(canonicalJs).join(',')}]`;
}

/**
 * The key text of every row of `batch` (as {@link syncKeyText} of the row's `keyColumns` values, from
 * Arrow's buffers); `null` for a row whose key has a null part.
 */
export function syncKeyTexts(batch: RecordBatch, keyColumns: readonly string[]): (string | null)[] {
  const columns = keyColumns.map((name) => columnData(batch, name));
  const encoders = columns.map(canonicalEncoder);
  const keys: (string | null)[] = new Array<string | null>(batch.numRows);
  for (let row = 0; row < batch.numRows; row++) {
    let key: string | null;
    if (columns.length === 1) key = columns[0]!.getValid(row) ? encoders[0]!(row) : null;
    else if (columns.some((column) => !column.getValid(row))) key = null;
    else key = `[${encoders.map((encode) => encode(row)).join(',')}]`;
    keys[row] = key;
  }
  return keys;
}

/** Splits the canonical JSON array `[a,b,…]` into its top-level tokens. */
function splitArray(text: string): string[] {
  if (!text.startsWith('[') || !text.endsWith(']')) throw new Error('not an array');
  const tokens: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 1;
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      tokens.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (text.length > 2) tokens.push(text.slice(start, text.length - 1));
  return tokens;
}

function decimalToWords(text: string, scale: number, bitWidth: number): Uint32Array {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  let unscaled =
    scale >= 0 ? BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale)) : BigInt(whole) / 10n ** BigInt(-scale);
  if (negative) unscaled = -unscaled;
  const words = new Uint32Array(bitWidth / 32);
  let rest = BigInt.asUintN(bitWidth, unscaled);
  for (let j = 0; j < words.length; j++) {
    words[j] = Number(rest & 0xffffffffn);
    rest >>= 32n;
  }
  return words;
}

function valueOf(token: string, type: DataType): unknown {
  if (token === 'null') return null;
  const parsed = (): unknown => JSON.parse(token) as unknown;
  switch (type.typeId) {
    case Type.Int:
      return (type as unknown as { bitWidth: number }).bitWidth === 64 ? BigInt(token) : Number(token);
    case Type.Float:
      return token.startsWith('"') ? Number(parsed()) : Number(token);
    case Type.Decimal: {
      const { scale, bitWidth } = type as unknown as { scale: number; bitWidth: number };
      return decimalToWords(token, scale, bitWidth);
    }
    case Type.Bool:
      return token === 'true';
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
    case Type.BinaryView:
      return new Uint8Array(Buffer.from(parsed() as string, 'base64'));
    case Type.Date: {
      const text = parsed() as string;
      const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
      return (type as unknown as { unit: DateUnit }).unit === DateUnit.DAY ? date : date.getTime();
    }
    case Type.Timestamp:
      // Millisecond precision: Arrow's JS builders take timestamps as milliseconds.
      return new Date(parsed() as string);
    case Type.Duration:
      return BigInt(token);
    default:
      return parsed();
  }
}

/**
 * The primary-key values of a key text ({@link syncKeyText}), as Arrow's builders take them for `types`
 * (the key columns' types): int64 as bigint, other integers and floats as number, strings, bytes as
 * Uint8Array, dates and timestamps as Date (millisecond precision), decimals as their 32-bit words. For
 * building a `delete` row's key columns.
 *
 * @example
 * ```ts
 * parseSyncKey('[1,"eu"]', [new Int64(), new Utf8()]); // [1n, 'eu']
 * ```
 */
export function parseSyncKey(text: string, types: readonly DataType[]): unknown[] {
  try {
    if (types.length === 1) return [valueOf(text, types[0]!)];
    const tokens = splitArray(text);
    if (tokens.length !== types.length) throw new Error(`${tokens.length} values for ${types.length} key columns`);
    return tokens.map((token, index) => valueOf(token, types[index]!));
  } catch (error) {
    throw new DeliveryError(
      `sync key ${text.slice(0, 80)} does not parse as ${types.map(String).join(', ')}: ${(error as Error).message}`,
      'SYNC_STATE_INVALID',
      { category: 'PERMANENT', cause: error },
    );
  }
}

type OneShotHash = (algorithm: string, data: string) => string;
/** `crypto.hash` (Node ≥ 20.12: a one-shot digest, several times faster per row than `createHash`). */
const oneShot = (crypto as { hash?: OneShotHash }).hash;

function sha256Hex(text: string): string {
  return oneShot !== undefined ? oneShot('sha256', text) : crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * Per row of `batch`, the fingerprint of exactly `columns`: 16 hex digits (the first 8 bytes of a SHA-256)
 * of their canonical encoding (column names sorted; int64 as decimal, floats in shortest round-trip form,
 * -0 = 0, timestamps as µs ISO instants in UTC, decimals as plain decimal strings, bytes as base64,
 * lists / structs / maps recursively with sorted struct keys and map entries; null distinct from ""). The
 * column order of the batch and the field order of a struct never change it; only a value change does —
 * or the name a value is sent under: `sentAs` names each column as the destination receives it (its
 * `field_mapping` target; default the column's own name), so a renamed column changes every fingerprint.
 *
 * @example
 * ```ts
 * const fps = rowFingerprints(batch, ['email', 'name']); // ['9f2c0a1b3d4e5f60', …]
 * ```
 */
export function rowFingerprints(
  batch: RecordBatch,
  columns: readonly string[],
  sentAs: (column: string) => string = (column) => column,
): string[] {
  const names = [...new Set(columns)]
    .map((column) => ({ column, sent: sentAs(column) }))
    .sort((a, b) => (a.sent < b.sent ? -1 : a.sent > b.sent ? 1 : 0));
  const encoders = names.map(({ column }) => canonicalEncoder(columnData(batch, column)));
  const prefixes = names.map(({ sent }, c) => `${c === 0 ? '{' : ','}${JSON.stringify(sent)}:`);
  const fingerprints = new Array<string>(batch.numRows);
  for (let row = 0; row < batch.numRows; row++) {
    let text = '';
    for (let c = 0; c < encoders.length; c++) text += prefixes[c]! + encoders[c]!(row);
    fingerprints[row] = sha256Hex(`${text}}`).slice(0, 16);
  }
  return fingerprints;
}
