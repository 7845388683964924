import { Type, makeVector, type Data } from 'apache-arrow';

/** A Node Buffer view (no copy) over a typed array. */
export function bufferView(values: ArrayBufferView): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
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
