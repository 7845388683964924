const TWO_32 = 4_294_967_296;

/** The unscaled integer of an Arrow decimal (little-endian two's complement, `stride` 32-bit words). */
function unscaledText(words: Uint32Array, base: number, stride: number): string {
  const w0 = words[base] as number;
  const w1 = words[base + 1] as number;
  let high = 0;
  let allOnes = true;
  for (let k = 2; k < stride; k++) {
    const w = words[base + k] as number;
    high |= w;
    if (w !== 0xffffffff) allOnes = false;
  }
  // Fast paths: values within ±2^53 need no BigInt.
  if (high === 0 && w1 < 0x200000) return String(w1 * TWO_32 + w0);
  if (allOnes && w1 >= 0xffe00000) return String((w1 - TWO_32) * TWO_32 + w0);
  let value = 0n;
  for (let k = stride - 1; k >= 0; k--) value = (value << 32n) | BigInt(words[base + k] as number);
  return BigInt.asIntN(stride * 32, value).toString();
}

/**
 * The exact text of decimal number `index` of an Arrow decimal column: `-12.3400` for scale 4 (trailing
 * zeros kept: the scale is part of the value's type).
 *
 * @example
 * ```ts
 * decimalText(new Uint32Array([1234, 0, 0, 0]), 0, 4, 2); // '12.34'
 * ```
 */
export function decimalText(words: Uint32Array, index: number, stride: number, scale: number): string {
  const text = unscaledText(words, index * stride, stride);
  if (scale === 0) return text;
  if (scale < 0) return text === '0' ? '0' : `${text}${'0'.repeat(-scale)}`;
  const negative = text.startsWith('-');
  const digits = (negative ? text.slice(1) : text).padStart(scale + 1, '0');
  const point = digits.length - scale;
  return `${negative ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}`;
}
