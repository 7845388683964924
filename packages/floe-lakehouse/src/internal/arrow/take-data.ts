import { Data, Type, type DataType } from 'apache-arrow';
import { IcebergUnsupportedError } from '../../errors.js';

type TypedArray =
  Int8Array | Uint8Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array;
type TypedArrayCtor = new (length: number) => TypedArray;

/** Validity bitmap (or undefined when all kept rows are valid) and the null count for `indices`. */
export function takeValidity(data: Data, indices: Int32Array): { bitmap: Uint8Array | undefined; nullCount: number } {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0)
    return { bitmap: undefined, nullCount: 0 };
  const n = indices.length;
  const src = data.nullBitmap;
  const out = new Uint8Array(((n + 63) & ~63) >> 3);
  let nulls = 0;
  for (let k = 0; k < n; k++) {
    const pos = data.offset + (indices[k] as number);
    if ((src[pos >> 3] as number) & (1 << (pos & 7))) out[k >> 3] = (out[k >> 3] as number) | (1 << (k & 7));
    else nulls++;
  }
  return nulls === 0 ? { bitmap: undefined, nullCount: 0 } : { bitmap: out, nullCount: nulls };
}

function takeFixed(data: Data, indices: Int32Array): TypedArray {
  const values = data.values as TypedArray;
  const stride = data.stride;
  const out = new (values.constructor as TypedArrayCtor)(indices.length * stride);
  if (stride === 1) {
    for (let k = 0; k < indices.length; k++) out[k] = values[indices[k] as number] as never;
  } else {
    for (let k = 0; k < indices.length; k++) {
      const i = (indices[k] as number) * stride;
      out.set(values.subarray(i, i + stride) as never, k * stride);
    }
  }
  return out;
}

function takeBits(data: Data, indices: Int32Array): Uint8Array {
  const values = data.values as Uint8Array;
  const out = new Uint8Array(((indices.length + 63) & ~63) >> 3);
  for (let k = 0; k < indices.length; k++) {
    const pos = data.offset + (indices[k] as number);
    if ((values[pos >> 3] as number) & (1 << (pos & 7))) out[k >> 3] = (out[k >> 3] as number) | (1 << (k & 7));
  }
  return out;
}

/** The offsets of the taken rows of a variable-length column, and their total length. */
function takeOffsets(srcOffsets: Int32Array, indices: Int32Array): { offsets: Int32Array; total: number } {
  const offsets = new Int32Array(indices.length + 1);
  let total = 0;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    total += (srcOffsets[i + 1] as number) - (srcOffsets[i] as number);
    offsets[k + 1] = total;
  }
  return { offsets, total };
}

function takeVariable(data: Data, indices: Int32Array): { offsets: Int32Array; values: Uint8Array } {
  const srcOffsets = data.valueOffsets as Int32Array;
  const srcValues = data.values as Uint8Array;
  const { offsets, total } = takeOffsets(srcOffsets, indices);
  const values = new Uint8Array(total);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    values.set(srcValues.subarray(srcOffsets[i] as number, srcOffsets[i + 1] as number), offsets[k] as number);
  }
  return { offsets, values };
}

function takeListLike(data: Data, indices: Int32Array): { offsets: Int32Array; child: Data } {
  const srcOffsets = data.valueOffsets as Int32Array;
  const { offsets, total } = takeOffsets(srcOffsets, indices);
  const childIndices = new Int32Array(total);
  let c = 0;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    for (let j = srcOffsets[i] as number; j < (srcOffsets[i + 1] as number); j++) childIndices[c++] = j;
  }
  return { offsets, child: takeData(data.children[0] as Data, childIndices) };
}

/**
 * Selects rows `indices` (in order, repeats allowed) of an Arrow column, copying into new buffers.
 * Supports the types this reader emits: null, bool, ints, floats, decimal, date, time, timestamp,
 * fixed-size binary, utf8, binary, list, fixed-size list, struct, map and dictionaries.
 */
export function takeData<T extends DataType>(data: Data<T>, indices: Int32Array): Data<T> {
  const type = data.type;
  const n = indices.length;
  if (type.typeId === Type.Null) return new Data(type, 0, n, n);
  const { bitmap, nullCount } = takeValidity(data, indices);
  switch (type.typeId) {
    case Type.Bool:
      return new Data(type, 0, n, nullCount, [undefined, takeBits(data, indices), bitmap]);
    case Type.Int:
    case Type.Float:
    case Type.Decimal:
    case Type.Date:
    case Type.Time:
    case Type.Timestamp:
    case Type.Duration:
    case Type.Interval:
    case Type.FixedSizeBinary:
      return new Data(type, 0, n, nullCount, [undefined, takeFixed(data, indices), bitmap]);
    case Type.Utf8:
    case Type.Binary: {
      const { offsets, values } = takeVariable(data, indices);
      return new Data(type, 0, n, nullCount, [offsets, values, bitmap]);
    }
    case Type.List:
    case Type.Map: {
      const { offsets, child } = takeListLike(data, indices);
      return new Data(type, 0, n, nullCount, [offsets, undefined, bitmap], [child]);
    }
    case Type.FixedSizeList: {
      const size = (type as unknown as { listSize: number }).listSize;
      const childIndices = new Int32Array(n * size);
      for (let k = 0; k < n; k++)
        for (let j = 0; j < size; j++) childIndices[k * size + j] = (indices[k] as number) * size + j;
      return new Data(
        type,
        0,
        n,
        nullCount,
        [undefined, undefined, bitmap],
        [takeData(data.children[0] as Data, childIndices)],
      );
    }
    case Type.Struct:
      return new Data(
        type,
        0,
        n,
        nullCount,
        [undefined, undefined, bitmap],
        data.children.map((c) => takeData(c, indices)),
      );
    case Type.Dictionary:
      return new Data(type, 0, n, nullCount, [undefined, takeFixed(data, indices), bitmap], [], data.dictionary);
    default:
      throw new IcebergUnsupportedError(
        `Arrow type ${String(type)}`,
        `Cannot filter rows of Arrow type ${String(type)}`,
      );
  }
}
