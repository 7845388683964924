import { Type, type Data } from 'apache-arrow';

/** A validity test for `data`'s rows (slice-relative index), or `undefined` when no row is null. */
export type IsNull = ((i: number) => boolean) | undefined;

/**
 * Reads the null bitmap directly (honouring the slice offset); `undefined` when the column has no nulls.
 * The bit test is written out (not {@link isPresent}): it runs once per value.
 */
export function nullTest(data: Data): IsNull {
  if (data.nullCount === 0) return undefined;
  const bitmap = data.nullBitmap;
  const offset = data.offset;
  if (bitmap === undefined || bitmap.length === 0) return () => true;
  return (i) => ((bitmap[(offset + i) >> 3] as number) & (1 << ((offset + i) & 7))) === 0;
}

/** The validity bitmap of `data`, or `undefined` when every value is present (an all-zero one for `Null`). */
export function validityOf(data: Data): Uint8Array | undefined {
  const bitmap = data.nullBitmap as Uint8Array | undefined;
  if (data.typeId === Type.Null) return new Uint8Array(Math.ceil((data.offset + data.length) / 8));
  if (bitmap === undefined || bitmap.length === 0 || data.nullCount === 0) return undefined;
  return bitmap;
}

/** True when bit `offset + index` of `bitmap` is set (`bitmap` from {@link validityOf}: `undefined` → present). */
export function isPresent(bitmap: Uint8Array | undefined, offset: number, index: number): boolean {
  if (bitmap === undefined) return true;
  const bit = offset + index;
  return ((bitmap[bit >> 3] as number) & (1 << (bit & 7))) !== 0;
}

/** The value offsets of a variable-width or list column as numbers (`LargeUtf8`/`LargeList` use 64-bit offsets). */
export function offsetsOf(data: Data): ArrayLike<number> {
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  if (offsets instanceof BigInt64Array) return Array.from(offsets, Number);
  return offsets;
}
