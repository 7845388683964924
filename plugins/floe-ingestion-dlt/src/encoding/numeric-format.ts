const TWO_32 = 4294967296;
/** hi words in [-2^21, 2^21) make an int64 exactly representable as a double. */
const HI_LIMIT = 2097152;

/** 32-bit views over a 64-bit integer array, to read values without allocating a bigint when they fit a double. */
export interface Int64Words {
  readonly lo: Uint32Array;
  readonly hi: Int32Array | Uint32Array;
  readonly big: BigInt64Array | BigUint64Array;
}

/** Word views over a BigInt64Array / BigUint64Array (little-endian). */
export function int64Words(values: BigInt64Array | BigUint64Array): Int64Words {
  const lo = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const hi = values instanceof BigInt64Array ? new Int32Array(values.buffer, values.byteOffset, values.length * 2) : lo;
  return { lo, hi, big: values };
}

/** The value at `i`: a number when exactly representable, else a bigint. */
export function readInt64(words: Int64Words, i: number): number | bigint {
  const hi = words.hi[2 * i + 1] as number;
  if (hi >= -HI_LIMIT && hi < HI_LIMIT) return hi * TWO_32 + (words.lo[2 * i] as number);
  return words.big[i] as bigint;
}

/** The exact decimal digits of an int64 at `i`. */
export function int64Text(words: Int64Words, i: number): string {
  return String(readInt64(words, i));
}

/** True when the value fits `Number.MAX_SAFE_INTEGER`. */
export function isSafe(value: number | bigint): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * The exact text of a decimal stored as `stride` little-endian two's-complement 32-bit words at
 * `words[start…]`, with `scale` fraction digits (trailing zeros kept: scale 2 → `10.50`).
 */
export function decimalText(words: Uint32Array, start: number, stride: number, scale: number): string {
  let value = 0n;
  for (let w = stride - 1; w >= 0; w -= 1) value = (value << 32n) | BigInt(words[start + w] as number);
  const bits = BigInt(stride * 32);
  if ((words[start + stride - 1] as number) >= 0x80000000) value -= 1n << bits;
  return scaleDigits(value, scale);
}

/** Places the decimal point: `scaleDigits(-1050n, 2)` → `-10.50`. */
export function scaleDigits(value: bigint, scale: number): string {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString();
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  } else if (scale < 0 && digits !== '0') {
    digits += '0'.repeat(-scale);
  }
  return negative ? `-${digits}` : digits;
}

/** JSON text of a finite double, or the strings `"NaN"`, `"Infinity"`, `"-Infinity"` (JSON has no such numbers). */
export function doubleText(value: number): string {
  if (Number.isFinite(value)) return String(value);
  return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"';
}

/** Shortest text that reads back to the same float32 (`0.1`, not `0.10000000149011612`). */
export function float32Number(value: number): number {
  if (!Number.isFinite(value) || (Number.isInteger(value) && Math.abs(value) < 16_777_216)) return value;
  for (let precision = 1; precision <= 9; precision += 1) {
    const candidate = Number(value.toPrecision(precision));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

/** IEEE 754 half-precision bits → number. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
