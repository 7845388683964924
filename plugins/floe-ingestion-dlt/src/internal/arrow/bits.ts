/** Bit `index` of an LSB-ordered bitmap. */
export function getBit(bitmap: Uint8Array, index: number): boolean {
  return ((bitmap[index >> 3] as number) & (1 << (index & 7))) !== 0;
}

/** Copies `length` bits starting at bit `from` of `source` into `target` starting at bit `to`. */
export function copyBits(source: Uint8Array, from: number, target: Uint8Array, to: number, length: number): void {
  if ((from & 7) === 0 && (to & 7) === 0) {
    const whole = length >> 3;
    target.set(source.subarray(from >> 3, (from >> 3) + whole), to >> 3);
    for (let k = whole * 8; k < length; k += 1) if (getBit(source, from + k)) setBit(target, to + k);
    return;
  }
  for (let k = 0; k < length; k += 1) if (getBit(source, from + k)) setBit(target, to + k);
}

/** Sets bit `index`. */
export function setBit(bitmap: Uint8Array, index: number): void {
  bitmap[index >> 3] = (bitmap[index >> 3] as number) | (1 << (index & 7));
}

/** `length` bits from bit `offset`, re-based to bit 0, trailing bits cleared: a canonical copy. */
export function canonicalBits(bitmap: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array((length + 7) >> 3);
  copyBits(bitmap, offset, out, 0, length);
  if ((offset & 7) === 0 && (length & 7) !== 0)
    out[out.length - 1] = (out[out.length - 1] as number) & ((1 << (length & 7)) - 1);
  return out;
}
