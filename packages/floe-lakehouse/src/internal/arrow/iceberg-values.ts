import { IcebergMetadataError, IcebergUnsupportedError } from '../../errors.js';
import type { IcebergType, PrimitiveType } from '../metadata/iceberg-schema.js';
import { toBigInt } from '../util/values.js';

/**
 * A constant value in the representation the Arrow builders of this package expect:
 * boolean; number (int, float, double, date in days); bigint (long, decimal unscaled, time and
 * timestamps in µs or ns); string (string, uuid); Uint8Array (fixed, binary); `STRUCT_PRESENT`
 * for a non-null struct whose fields take their own defaults; null.
 */
export type IcebergValue = boolean | number | bigint | string | Uint8Array | typeof STRUCT_PRESENT | null;

export const STRUCT_PRESENT = Symbol('struct-present');

const HEX = /^([0-9a-fA-F]{2})*$/;

function hexToBytes(hex: string): Uint8Array {
  if (!HEX.test(hex)) throw new Error(`invalid hex ${JSON.stringify(hex)}`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** Formats 16 bytes as a canonical lower-case UUID string. */
export function formatUuid(bytes: Uint8Array, offset = 0): string {
  const h = Buffer.from(bytes.buffer, bytes.byteOffset + offset, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Unscaled value of a decimal string at the given scale (`"12.3"`, scale 2 → 1230n). */
export function parseDecimal(text: string, scale: number): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`invalid decimal ${JSON.stringify(text)}`);
  const exponent = Number(m[4] ?? 0);
  let digits = `${m[2]}${m[3] ?? ''}`;
  let shift = scale - (m[3] ?? '').length + exponent;
  if (shift < 0) {
    const dropped = digits.slice(digits.length + shift);
    if (/[1-9]/.test(dropped)) throw new Error(`decimal ${text} has more than ${scale} fractional digits`);
    digits = digits.slice(0, digits.length + shift) || '0';
    shift = 0;
  }
  const unscaled = BigInt(digits || '0') * 10n ** BigInt(shift);
  return m[1] === '-' ? -unscaled : unscaled;
}

/** Two's complement big-endian bytes (Avro/Iceberg decimal encoding) → bigint. */
export function decimalFromBytes(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0) v -= 1n << BigInt(bytes.length * 8);
  return v;
}

/** Microseconds (or nanoseconds) since midnight of `HH:MM[:SS[.fraction]]`. */
function parseTime(text: string, nanos: boolean): bigint {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
  if (!m) throw new Error(`invalid time ${JSON.stringify(text)}`);
  const seconds = BigInt(Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0));
  const digits = nanos ? 9 : 6;
  const fraction = BigInt(((m[4] ?? '') + '000000000').slice(0, digits));
  return seconds * 10n ** BigInt(digits) + fraction;
}

function parseDate(text: string): number {
  const m = /^(-?\d{4,})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) throw new Error(`invalid date ${JSON.stringify(text)}`);
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round(d.getTime() / 86_400_000);
}

/** µs (or ns) since the epoch of an ISO-8601 timestamp with optional zone offset (keeps sub-ms digits). */
function parseTimestamp(text: string, nanos: boolean): bigint {
  const m = /^(-?\d{4,}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) throw new Error(`invalid timestamp ${JSON.stringify(text)}`);
  const unit = nanos ? 1_000_000_000n : 1_000_000n;
  let value = BigInt(parseDate(m[1] as string)) * 86_400n * unit + parseTime(m[2] as string, nanos);
  const zone = m[3];
  if (zone && zone !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone) as RegExpExecArray;
    const offset = BigInt(Number(z[2]) * 3600 + Number(z[3]) * 60) * unit;
    value = z[1] === '+' ? value - offset : value + offset;
  }
  return value;
}

function primitiveFromJson(t: PrimitiveType, json: unknown): IcebergValue {
  switch (t.name) {
    case 'boolean':
      if (typeof json !== 'boolean') throw new Error('expected a boolean');
      return json;
    case 'int':
    case 'float':
    case 'double':
      if (typeof json !== 'number' && typeof json !== 'bigint') throw new Error('expected a number');
      return Number(json);
    case 'long':
      return toBigInt(json, 'long');
    case 'decimal':
      return parseDecimal(String(json), t.scale ?? 0);
    case 'date':
      return parseDate(String(json));
    case 'time':
      return parseTime(String(json), false);
    case 'timestamp':
    case 'timestamptz':
      return parseTimestamp(String(json), false);
    case 'timestamp_ns':
    case 'timestamptz_ns':
      return parseTimestamp(String(json), true);
    case 'string':
      return String(json);
    case 'uuid':
      return String(json).toLowerCase();
    case 'fixed':
    case 'binary':
      return hexToBytes(String(json));
    default:
      throw new IcebergUnsupportedError(`Iceberg type ${t.text}`);
  }
}

/** Converts an Iceberg JSON single-value (a field's `initial-default`) to an {@link IcebergValue}. */
export function valueFromJson(type: IcebergType, json: unknown, where: string): IcebergValue {
  if (json === null || json === undefined) return null;
  try {
    if (type.kind === 'primitive') return primitiveFromJson(type, json);
    if (type.kind === 'struct') return STRUCT_PRESENT;
    throw new IcebergUnsupportedError(
      `non-null ${type.kind} default`,
      `Non-null ${type.kind} default of ${where} is not supported`,
    );
  } catch (cause) {
    if (cause instanceof IcebergUnsupportedError) throw cause;
    throw new IcebergMetadataError(`Invalid default value for ${where}: ${(cause as Error).message}`, { cause });
  }
}

/** Converts a partition value decoded from an Avro manifest to an {@link IcebergValue}. */
export function valueFromPartition(type: IcebergType, value: unknown): IcebergValue {
  if (value === null || value === undefined || type.kind !== 'primitive') return null;
  switch (type.name) {
    case 'long':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
    case 'timestamp_ns':
    case 'timestamptz_ns':
      return toBigInt(value, 'partition value');
    case 'decimal':
      return value instanceof Uint8Array ? decimalFromBytes(value) : toBigInt(value, 'partition value');
    case 'uuid':
      return value instanceof Uint8Array ? formatUuid(value) : String(value);
    case 'fixed':
    case 'binary':
      return value instanceof Uint8Array ? value : null;
    default:
      return typeof value === 'bigint' ? Number(value) : (value as IcebergValue);
  }
}
