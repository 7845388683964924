import { Data, Dictionary, Int32, Type, type DataType, type Vector } from 'apache-arrow';
import { copyBits, setBit } from './bits.js';

type TypedArray = Exclude<ArrayBufferView, DataView> & {
  length: number;
  subarray(begin: number, end?: number): TypedArray;
  set(array: ArrayLike<unknown>, offset?: number): void;
};
type TypedArrayCtor = new (length: number) => TypedArray;

/**
 * Concatenates same-typed Arrow `Data` into one contiguous `Data`, copying buffers (used to re-chunk
 * record batches into exact batch sizes). Bit-exact: no value goes through JavaScript objects.
 * Throws for types it cannot concatenate (unions, views).
 */
export function concatData(parts: readonly Data[]): Data {
  const first = parts[0];
  if (first === undefined) throw new RangeError('concatData needs at least one part');
  if (parts.length === 1) return first;
  const type = first.type as DataType;
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const nullCount = parts.reduce((sum, part) => sum + part.nullCount, 0);
  const bitmap = nullCount === 0 || type.typeId === Type.Null ? undefined : concatValidity(parts, length);
  switch (type.typeId) {
    case Type.Null:
      return new Data(type, 0, length, length);
    case Type.Bool: {
      const bits = new Uint8Array((length + 7) >> 3);
      let at = 0;
      for (const part of parts) {
        copyBits(part.values as Uint8Array, part.offset, bits, at, part.length);
        at += part.length;
      }
      return new Data(type, 0, length, nullCount, [undefined, bits, bitmap, undefined]);
    }
    case Type.Utf8:
    case Type.Binary:
    case Type.LargeUtf8:
    case Type.LargeBinary:
      return concatVariable(parts, type, length, nullCount, bitmap);
    case Type.List:
    case Type.LargeList:
    case Type.Map: {
      const [offsets, ranges] = concatOffsets(parts, length);
      const child = concatData(
        parts.map((part, k) => (part.children[0] as Data).slice(ranges[k]![0], ranges[k]![1] - ranges[k]![0])),
      );
      return new Data(type, 0, length, nullCount, [offsets, undefined, bitmap, undefined], [child]);
    }
    case Type.FixedSizeList: {
      const size = (type as unknown as { listSize: number }).listSize;
      const child = concatData(parts.map((part) => (part.children[0] as Data).slice(0, part.length * size)));
      return new Data(type, 0, length, nullCount, [undefined, undefined, bitmap, undefined], [child]);
    }
    case Type.Struct: {
      const children = (type.children ?? []).map((_, j) =>
        concatData(parts.map((part) => (part.children[j] as Data).slice(0, part.length))),
      );
      return new Data(type, 0, length, nullCount, [undefined, undefined, bitmap, undefined], children);
    }
    case Type.Dictionary:
      return concatDictionary(parts, length, nullCount, bitmap);
    case Type.Union:
    case Type.BinaryView:
    case Type.Utf8View:
      throw new TypeError(`cannot re-chunk ${String(type)} columns across record batches`);
    default:
      return concatFixed(parts, type, length, nullCount, bitmap);
  }
}

function concatValidity(parts: readonly Data[], length: number): Uint8Array {
  const bitmap = new Uint8Array((length + 7) >> 3);
  let at = 0;
  for (const part of parts) {
    if (part.nullCount === 0) {
      for (let k = 0; k < part.length; k += 1) setBit(bitmap, at + k);
    } else {
      copyBits(part.nullBitmap as Uint8Array, part.offset, bitmap, at, part.length);
    }
    at += part.length;
  }
  return bitmap;
}

function concatFixed(
  parts: readonly Data[],
  type: DataType,
  length: number,
  nullCount: number,
  bitmap: Uint8Array | undefined,
): Data {
  const stride = (parts[0] as Data).stride;
  const values = new ((parts[0] as Data).values.constructor as TypedArrayCtor)(length * stride);
  let at = 0;
  for (const part of parts) {
    values.set((part.values as TypedArray).subarray(0, part.length * stride) as unknown as ArrayLike<unknown>, at);
    at += part.length * stride;
  }
  return new Data(type, 0, length, nullCount, [undefined, values, bitmap, undefined]);
}

/** Re-based offsets for all parts, and each part's [start, end) range in its own child/values. */
function concatOffsets(parts: readonly Data[], length: number): [Int32Array | BigInt64Array, [number, number][]] {
  const large = (parts[0] as Data).valueOffsets instanceof BigInt64Array;
  const numbers = new Float64Array(length + 1);
  const ranges: [number, number][] = [];
  let at = 0;
  let base = 0;
  for (const part of parts) {
    const offsets = part.valueOffsets as Int32Array | BigInt64Array;
    const start = Number(offsets[0]);
    for (let i = 0; i <= part.length; i += 1) numbers[at + i] = base + Number(offsets[i]) - start;
    const end = Number(offsets[part.length]);
    ranges.push([start, end]);
    base += end - start;
    at += part.length;
  }
  if (!large && base > 0x7fffffff) throw new RangeError('concatenated values exceed 2 GiB of 32-bit offsets');
  return [large ? BigInt64Array.from(numbers, (n) => BigInt(n)) : Int32Array.from(numbers), ranges];
}

function concatVariable(
  parts: readonly Data[],
  type: DataType,
  length: number,
  nullCount: number,
  bitmap: Uint8Array | undefined,
): Data {
  const [offsets, ranges] = concatOffsets(parts, length);
  const total = ranges.reduce((sum, [start, end]) => sum + end - start, 0);
  const values = new Uint8Array(total);
  let at = 0;
  parts.forEach((part, k) => {
    const [start, end] = ranges[k] as [number, number];
    values.set((part.values as Uint8Array).subarray(start, end), at);
    at += end - start;
  });
  return new Data(type, 0, length, nullCount, [offsets, values, bitmap, undefined]);
}

function concatDictionary(
  parts: readonly Data[],
  length: number,
  nullCount: number,
  bitmap: Uint8Array | undefined,
): Data {
  const type = (parts[0] as Data).type as Dictionary;
  const bases = new Map<Vector, number>();
  let size = 0;
  for (const part of parts) {
    const dictionary = part.dictionary as Vector;
    if (!bases.has(dictionary)) {
      bases.set(dictionary, size);
      size += dictionary.length;
    }
  }
  const dictionaries = [...bases.keys()];
  const widen = dictionaries.length > 1 && type.indices.bitWidth < 32;
  const outType = widen ? new Dictionary(type.dictionary, new Int32(), type.id, type.isOrdered) : type;
  const Indices = widen ? Int32Array : ((parts[0] as Data).values.constructor as TypedArrayCtor);
  const indices = new Indices(length) as unknown as (number | bigint)[];
  const big = indices instanceof BigInt64Array || indices instanceof BigUint64Array;
  let at = 0;
  for (const part of parts) {
    const source = part.values as unknown as ArrayLike<number | bigint>;
    const base = bases.get(part.dictionary as Vector) as number;
    for (let i = 0; i < part.length; i += 1) {
      const value = Number(source[i]) + base;
      indices[at + i] = big ? BigInt(value) : value;
    }
    at += part.length;
  }
  const first = dictionaries[0] as Vector;
  const dictionary = dictionaries.length === 1 ? first : first.concat(...dictionaries.slice(1));
  return new Data(
    outType,
    0,
    length,
    nullCount,
    [undefined, indices as unknown as Int32Array, bitmap, undefined],
    [],
    dictionary,
  );
}
