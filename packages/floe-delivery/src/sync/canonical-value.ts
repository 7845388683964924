import { DateUnit, Precision, TimeUnit, Type, makeVector, type Data, type DataType, type Vector } from 'apache-arrow';

// A small canonical encoder of Arrow values. The plugin has an Arrow value layer of its own
// (plugins/floe-ingestion-dlt/src/internal/arrow-values), but delivery sits below the plugin and must not
// depend on it, and a fingerprint needs a stricter form than a value sent to a destination (exact 64-bit
// integers and decimals, µs timestamps, sorted struct keys): so it is written here, on Arrow's buffers.

/** Canonical text of a number: shortest round-trip form, -0 → 0, NaN / ±Infinity as fixed strings. */
export function canonicalNumber(value: number): string {
  if (Number.isNaN(value)) return '"NaN"';
  if (value === Infinity) return '"Infinity"';
  if (value === -Infinity) return '"-Infinity"';
  return Object.is(value, -0) ? '0' : String(value);
}

const MS_PER_DAY = 86_400_000;

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ` (µs), plus three digits when a nanosecond remainder is not 0. */
export function canonicalInstant(micros: bigint, nanos = 0n): string {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return JSON.stringify(`${micros}us`);
  const fraction = (((micros % 1_000_000n) + 1_000_000n) % 1_000_000n).toString().padStart(6, '0');
  const extra = nanos === 0n ? '' : nanos.toString().padStart(3, '0');
  return `"${date.toISOString().slice(0, -5)}.${fraction}${extra}Z"`;
}

function canonicalDays(days: number): string {
  const date = new Date(days * MS_PER_DAY);
  return Number.isNaN(date.getTime()) ? JSON.stringify(`${days}d`) : `"${date.toISOString().slice(0, 10)}"`;
}

function canonicalTimeOfDay(nanos: bigint): string {
  const total = nanos / 1000n;
  const pad = (n: bigint, width = 2): string => n.toString().padStart(width, '0');
  const rest = nanos % 1000n;
  return `"${pad(total / 3_600_000_000n)}:${pad((total / 60_000_000n) % 60n)}:${pad((total / 1_000_000n) % 60n)}.${pad(total % 1_000_000n, 6)}${rest === 0n ? '' : pad(rest, 3)}"`;
}

/** A decimal's unscaled integer from its little-endian 32-bit words (two's complement). */
export function decimalWords(words: Uint32Array): bigint {
  let value = 0n;
  for (let j = words.length - 1; j >= 0; j--) value = (value << 32n) | BigInt(words[j]!);
  const bits = BigInt(words.length * 32);
  return value >= 1n << (bits - 1n) ? value - (1n << bits) : value;
}

/** Plain decimal text of `unscaled × 10^-scale`, trailing fraction zeros dropped (`12.30` → `12.3`). */
export function canonicalDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    const whole = digits.slice(0, -scale);
    const fraction = digits.slice(-scale).replace(/0+$/, '');
    digits = fraction === '' ? whole : `${whole}.${fraction}`;
  } else if (scale < 0 && digits !== '0') digits += '0'.repeat(-scale);
  return negative && digits !== '0' ? `-${digits}` : digits;
}

function base64(bytes: Uint8Array): string {
  return `"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}"`;
}

function utf8(bytes: Uint8Array, begin: number, end: number): string {
  return JSON.stringify(Buffer.from(bytes.buffer, bytes.byteOffset + begin, end - begin).toString('utf8'));
}

/**
 * Canonical text of a plain JS value (what Arrow's `get()` or `parseSyncKey` answers): JSON with sorted
 * object keys, numbers per {@link canonicalNumber}, bigint as decimal, Date as a µs instant, bytes as base64.
 */
export function canonicalJs(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'number':
      return canonicalNumber(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (value instanceof Date) return canonicalInstant(BigInt(Math.trunc(value.getTime())) * 1000n);
  if (value instanceof Uint8Array) return base64(value);
  if (ArrayBuffer.isView(value))
    return `[${Array.from(value as unknown as ArrayLike<number | bigint>, canonicalJs).join(',')}]`;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' && !Array.isArray(value))
    return canonicalJs((value as { toJSON(): unknown }).toJSON());
  if (typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function')
    return `[${Array.from(value as Iterable<unknown>, canonicalJs).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJs(v)}`).join(',')}}`;
}

function int64(values: ArrayLike<bigint | number>, i: number): bigint {
  return BigInt(values[i]!);
}

function timeUnitNanos(unit: TimeUnit): bigint {
  return unit === TimeUnit.SECOND
    ? 1_000_000_000n
    : unit === TimeUnit.MILLISECOND
      ? 1_000_000n
      : unit === TimeUnit.MICROSECOND
        ? 1000n
        : 1n;
}

function dictionaryAt(dictionary: Vector, index: number): string {
  let at = index;
  for (const chunk of dictionary.data) {
    if (at < chunk.length) return canonicalAt(chunk, at);
    at -= chunk.length;
  }
  return 'null';
}

/**
 * Canonical text of row `i` of an Arrow column chunk: injective for a given type (a type change is caught by
 * the sync signature, not here), independent of struct field order and map entry order, null distinct from
 * every value.
 */
export function canonicalAt(data: Data, i: number): string {
  if (!data.getValid(i)) return 'null';
  const type = data.type as DataType;
  const values = data.values as ArrayLike<number | bigint> & Uint8Array;
  switch (data.typeId) {
    case Type.Null:
      return 'null';
    case Type.Int:
      return String(values[i]);
    case Type.Float: {
      const precision = (type as unknown as { precision: Precision }).precision;
      if (precision === Precision.HALF) return canonicalNumber(makeVector(data).get(i) as number);
      return canonicalNumber(values[i] as number);
    }
    case Type.Bool: {
      const bit = data.offset + i;
      return (values[bit >> 3]! >> (bit & 7)) & 1 ? 'true' : 'false';
    }
    case Type.Utf8:
    case Type.LargeUtf8: {
      const offsets = data.valueOffsets as ArrayLike<number | bigint>;
      return utf8(values, Number(offsets[i]), Number(offsets[i + 1]));
    }
    case Type.Binary:
    case Type.LargeBinary: {
      const offsets = data.valueOffsets as ArrayLike<number | bigint>;
      return base64(values.subarray(Number(offsets[i]), Number(offsets[i + 1])));
    }
    case Type.FixedSizeBinary:
      return base64(values.subarray(data.stride * i, data.stride * (i + 1)));
    case Type.Utf8View:
      return JSON.stringify(makeVector(data).get(i) as string);
    case Type.BinaryView:
      return base64(makeVector(data).get(i) as Uint8Array);
    case Type.Decimal: {
      const words = (data.values as Uint32Array).subarray(data.stride * i, data.stride * (i + 1));
      return canonicalDecimal(decimalWords(words), (type as unknown as { scale: number }).scale);
    }
    case Type.Date: {
      const unit = (type as unknown as { unit: DateUnit }).unit;
      if (unit === DateUnit.DAY) return canonicalDays(values[i] as number);
      const ms = int64(values, i);
      return ms % BigInt(MS_PER_DAY) === 0n
        ? canonicalDays(Number(ms / BigInt(MS_PER_DAY)))
        : canonicalInstant(ms * 1000n);
    }
    case Type.Timestamp: {
      const nanos = int64(values, i) * timeUnitNanos((type as unknown as { unit: TimeUnit }).unit);
      const rest = ((nanos % 1000n) + 1000n) % 1000n;
      return canonicalInstant((nanos - rest) / 1000n, rest);
    }
    case Type.Time:
      return canonicalTimeOfDay(int64(values, i) * timeUnitNanos((type as unknown as { unit: TimeUnit }).unit));
    case Type.Duration:
      return String(values[i]);
    case Type.List:
    case Type.LargeList: {
      const offsets = data.valueOffsets as ArrayLike<number | bigint>;
      const child = data.children[0]!;
      const parts: string[] = [];
      for (let j = Number(offsets[i]), end = Number(offsets[i + 1]); j < end; j++) parts.push(canonicalAt(child, j));
      return `[${parts.join(',')}]`;
    }
    case Type.FixedSizeList: {
      const size = (type as unknown as { listSize: number }).listSize;
      const child = data.children[0]!;
      const parts: string[] = [];
      for (let j = i * size; j < (i + 1) * size; j++) parts.push(canonicalAt(child, j));
      return `[${parts.join(',')}]`;
    }
    case Type.Struct: {
      const names = (type.children ?? []).map((field, index) => [field.name, index] as const);
      names.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${names.map(([name, index]) => `${JSON.stringify(name)}:${canonicalAt(data.children[index]!, i)}`).join(',')}}`;
    }
    case Type.Map: {
      const offsets = data.valueOffsets as ArrayLike<number>;
      const entries = data.children[0]!;
      const pairs: [string, string][] = [];
      for (let j = Number(offsets[i]), end = Number(offsets[i + 1]); j < end; j++)
        pairs.push([canonicalAt(entries.children[0]!, j), canonicalAt(entries.children[1]!, j)]);
      pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `[${pairs.map(([k, v]) => `[${k},${v}]`).join(',')}]`;
    }
    case Type.Dictionary:
      return data.dictionary === undefined ? 'null' : dictionaryAt(data.dictionary, Number(values[i]));
    default:
      // Unions, intervals: Arrow's own value, canonicalised.
      return canonicalJs(makeVector(data).get(i));
  }
}

/**
 * A fast {@link canonicalAt} of one column chunk: the per-chunk work (buffers, type dispatch) done once, for
 * the flat types a table's columns mostly have; other types go through {@link canonicalAt}.
 */
export function canonicalEncoder(data: Data): (i: number) => string {
  const values = data.values as ArrayLike<number | bigint> & Uint8Array;
  const nullable = data.nullCount > 0;
  let encode: (i: number) => string;
  switch (data.typeId) {
    case Type.Int:
      encode = (i) => String(values[i]);
      break;
    case Type.Float:
      if ((data.type as unknown as { precision: Precision }).precision === Precision.HALF)
        return (i) => canonicalAt(data, i);
      encode = (i) => canonicalNumber(values[i] as number);
      break;
    case Type.Utf8: {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
      encode = (i) => JSON.stringify(bytes.toString('utf8', offsets[i], offsets[i + 1]));
      break;
    }
    default:
      return (i) => canonicalAt(data, i);
  }
  return nullable ? (i) => (data.getValid(i) ? encode(i) : 'null') : encode;
}
