import { Type, makeVector, vectorFromArray, type Data } from 'apache-arrow';

/** The validity bitmap of `data`, or `undefined` when every value is present. */
export function validityOf(data: Data): Uint8Array | undefined {
  const bitmap = data.nullBitmap as Uint8Array | undefined;
  if (data.typeId === Type.Null) return new Uint8Array(Math.ceil((data.offset + data.length) / 8));
  if (bitmap === undefined || bitmap.length === 0 || data.nullCount === 0) return undefined;
  return bitmap;
}

/** True when value `index` of `data` is present (`bitmap` from {@link validityOf}). */
export function isPresent(bitmap: Uint8Array | undefined, offset: number, index: number): boolean {
  if (bitmap === undefined) return true;
  const bit = offset + index;
  return ((bitmap[bit >> 3] as number) & (1 << (bit & 7))) !== 0;
}

const TWO_32 = 4_294_967_296;

/**
 * Reads 64-bit integers exactly: a `number` when within ±2^53 (fast, no BigInt), else a `bigint`.
 */
export function int64Reader(values: BigInt64Array | BigUint64Array): (index: number) => number | bigint {
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  if (values instanceof BigUint64Array) {
    return (index) => {
      const hi = (words[2 * index + 1] as number) >>> 0;
      return hi < 0x200000 ? hi * TWO_32 + ((words[2 * index] as number) >>> 0) : (values[index] as bigint);
    };
  }
  return (index) => {
    const hi = words[2 * index + 1] as number;
    return hi >= -0x200000 && hi < 0x200000
      ? hi * TWO_32 + ((words[2 * index] as number) >>> 0)
      : (values[index] as bigint);
  };
}

/** Reads the bytes of value `index` of a binary or UTF-8 column (no copy where the layout allows). */
export function bytesReader(data: Data): (index: number) => Uint8Array {
  const values = data.values as Uint8Array;
  switch (data.typeId) {
    case Type.Binary:
    case Type.Utf8: {
      const offsets = data.valueOffsets as Int32Array;
      return (index) => values.subarray(offsets[index], offsets[index + 1]);
    }
    case Type.LargeBinary:
    case Type.LargeUtf8: {
      const offsets = data.valueOffsets as unknown as BigInt64Array;
      return (index) => values.subarray(Number(offsets[index]), Number(offsets[index + 1]));
    }
    case Type.FixedSizeBinary: {
      const width = (data.type as unknown as { byteWidth: number }).byteWidth;
      return (index) => values.subarray(index * width, (index + 1) * width);
    }
    default: {
      const vector = makeVector(data);
      const encoder = new TextEncoder();
      return (index) => {
        const value = vector.get(index) as unknown;
        return typeof value === 'string' ? encoder.encode(value) : (value as Uint8Array);
      };
    }
  }
}

/** Reads the dictionary index of value `index` of a dictionary-encoded column. */
export function dictionaryIndexReader(data: Data): (index: number) => number {
  const indices = data.values as unknown as ArrayLike<number | bigint>;
  return (index) => Number(indices[index]);
}

/** The single data chunk of a dictionary's values. */
export function dictionaryValues(data: Data): Data {
  const dictionary = data.dictionary;
  if (dictionary === undefined) throw new TypeError('dictionary-encoded column without a dictionary');
  if (dictionary.data.length === 1) return dictionary.data[0] as Data;
  // Several chunks: flatten once (rare; dictionaries are small).
  return vectorFromArray([...dictionary] as never[], dictionary.type).data[0] as Data;
}
