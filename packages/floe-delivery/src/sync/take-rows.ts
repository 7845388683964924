import { Type, makeBuilder, makeData, makeVector, type Data, type DataType } from 'apache-arrow';

type Typed = { new (length: number): ArrayLike<number | bigint> & { [i: number]: number | bigint } };

/** The validity bitmap of rows `rows` of `data` (undefined when none is null) and its null count. */
function takeValidity(data: Data, rows: ArrayLike<number>): { nullBitmap?: Uint8Array; nullCount: number } {
  if (data.nullCount === 0) return { nullCount: 0 };
  const bitmap = new Uint8Array(Math.ceil(rows.length / 8));
  let nulls = 0;
  for (let j = 0; j < rows.length; j++) {
    if (data.getValid(rows[j]!)) bitmap[j >> 3]! |= 1 << (j & 7);
    else nulls++;
  }
  return nulls === 0 ? { nullCount: 0 } : { nullBitmap: bitmap, nullCount: nulls };
}

/** Arrow's own values through a builder: for the few types taken without a buffer-level copy. */
function takeByValue(data: Data, rows: ArrayLike<number>): Data {
  const vector = makeVector(data);
  const builder = makeBuilder({ type: data.type as DataType, nullValues: [null, undefined] });
  for (let j = 0; j < rows.length; j++) builder.append(vector.get(rows[j]!));
  return builder.finish().flush() as Data;
}

/**
 * Rows `rows` (positions, any order, repeats allowed) of an Arrow column chunk as a new chunk, copied at
 * the buffer level so every value stays exact (64-bit integers, µs / ns timestamps, decimals). apache-arrow's
 * JS API has no `take`.
 */
export function takeRows(data: Data, rows: ArrayLike<number>): Data {
  const type = data.type as DataType;
  const length = rows.length;
  const validity = takeValidity(data, rows);
  const props = { type, length, ...validity } as Record<string, unknown>;
  switch (data.typeId) {
    case Type.Null:
      return makeData({ type, length, nullCount: length } as never);
    case Type.Int:
    case Type.Float:
    case Type.Date:
    case Type.Time:
    case Type.Timestamp:
    case Type.Duration:
    case Type.Decimal:
    case Type.FixedSizeBinary:
    case Type.Interval:
    case Type.Dictionary: {
      const stride = data.stride;
      const source = data.values as ArrayLike<number | bigint>;
      const values = new (source.constructor as Typed)(length * stride);
      for (let j = 0; j < length; j++) {
        const from = rows[j]! * stride;
        for (let s = 0; s < stride; s++) values[j * stride + s] = source[from + s]!;
      }
      return makeData({
        ...props,
        data: values,
        ...(data.typeId === Type.Dictionary && { dictionary: data.dictionary }),
      } as never);
    }
    case Type.Bool: {
      const source = data.values as Uint8Array;
      const values = new Uint8Array(Math.ceil(length / 8));
      for (let j = 0; j < length; j++) {
        const bit = data.offset + rows[j]!;
        if ((source[bit >> 3]! >> (bit & 7)) & 1) values[j >> 3]! |= 1 << (j & 7);
      }
      return makeData({ ...props, data: values } as never);
    }
    case Type.Utf8:
    case Type.Binary:
    case Type.LargeUtf8:
    case Type.LargeBinary: {
      const large = data.typeId === Type.LargeUtf8 || data.typeId === Type.LargeBinary;
      const offsets = data.valueOffsets as ArrayLike<number | bigint>;
      const bytes = data.values as Uint8Array;
      let total = 0;
      for (let j = 0; j < length; j++) total += Number(offsets[rows[j]! + 1]!) - Number(offsets[rows[j]!]!);
      const values = new Uint8Array(total);
      const out = large ? new BigInt64Array(length + 1) : new Int32Array(length + 1);
      let at = 0;
      for (let j = 0; j < length; j++) {
        const begin = Number(offsets[rows[j]!]!);
        const end = Number(offsets[rows[j]! + 1]!);
        values.set(bytes.subarray(begin, end), at);
        at += end - begin;
        out[j + 1] = large ? BigInt(at) : at;
      }
      return makeData({ ...props, valueOffsets: out, data: values } as never);
    }
    case Type.List:
    case Type.LargeList:
    case Type.Map: {
      const large = data.typeId === Type.LargeList;
      const offsets = data.valueOffsets as ArrayLike<number | bigint>;
      const childRows: number[] = [];
      const out = large ? new BigInt64Array(length + 1) : new Int32Array(length + 1);
      for (let j = 0; j < length; j++) {
        for (let c = Number(offsets[rows[j]!]!), end = Number(offsets[rows[j]! + 1]!); c < end; c++) childRows.push(c);
        out[j + 1] = large ? BigInt(childRows.length) : childRows.length;
      }
      return makeData({ ...props, valueOffsets: out, child: takeRows(data.children[0]!, childRows) } as never);
    }
    case Type.FixedSizeList: {
      const size = (type as unknown as { listSize: number }).listSize;
      const childRows: number[] = [];
      for (let j = 0; j < length; j++) for (let s = 0; s < size; s++) childRows.push(rows[j]! * size + s);
      return makeData({ ...props, child: takeRows(data.children[0]!, childRows) } as never);
    }
    case Type.Struct:
      return makeData({ ...props, children: data.children.map((child) => takeRows(child, rows)) } as never);
    default:
      return takeByValue(data, rows);
  }
}
