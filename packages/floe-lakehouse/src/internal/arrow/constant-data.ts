import { Data, Type, type DataType, type Field } from 'apache-arrow';
import type { IcebergType } from '../metadata/iceberg-schema.js';
import { STRUCT_PRESENT, valueFromJson, type IcebergValue } from './iceberg-values.js';

type TypedArrayCtor = new (length: number) => ArrayLike<unknown>;

function bitmapBytes(n: number): number {
  return ((n + 63) & ~63) >> 3;
}

/** A column of `n` nulls of any Arrow type. */
export function nullData(type: DataType, n: number): Data {
  const validity = new Uint8Array(bitmapBytes(n));
  switch (type.typeId) {
    case Type.Null:
      return new Data(type, 0, n, n);
    case Type.Bool:
      return new Data(type, 0, n, n, [undefined, new Uint8Array(bitmapBytes(n)), validity]);
    case Type.Utf8:
    case Type.Binary:
      return new Data(type, 0, n, n, [new Int32Array(n + 1), new Uint8Array(0), validity]);
    case Type.List:
    case Type.Map: {
      const child = nullData((type.children[0] as Field).type, 0);
      return new Data(type, 0, n, n, [new Int32Array(n + 1), undefined, validity], [child]);
    }
    case Type.Struct:
      return new Data(
        type,
        0,
        n,
        n,
        [undefined, undefined, validity],
        type.children.map((c: Field) => nullData(c.type, n)),
      );
    default: {
      const ArrayType = (type as unknown as { ArrayType: TypedArrayCtor }).ArrayType;
      const stride = new Data(type, 0, 0, 0).stride;
      return new Data(type, 0, n, n, [undefined, new ArrayType(n * stride) as never, validity]);
    }
  }
}

function fill<T extends { fill(v: never): unknown }>(array: T, value: unknown): T {
  array.fill(value as never);
  return array;
}

function repeatBytes(bytes: Uint8Array, n: number): { offsets: Int32Array; values: Uint8Array } {
  const offsets = new Int32Array(n + 1);
  const values = new Uint8Array(bytes.length * n);
  for (let i = 0; i < n; i++) {
    values.set(bytes, i * bytes.length);
    offsets[i + 1] = (i + 1) * bytes.length;
  }
  return { offsets, values };
}

function decimalWords(unscaled: bigint, n: number): Uint32Array {
  const words = new Uint32Array(4 * n);
  let v = BigInt.asUintN(128, unscaled);
  const one = new Uint32Array(4);
  for (let w = 0; w < 4; w++) {
    one[w] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
  for (let i = 0; i < n; i++) words.set(one, i * 4);
  return words;
}

/**
 * A column of `n` copies of `value` for an Iceberg type whose Arrow type is `arrowType`.
 * Non-null structs take each child's own `initial-default` (or null).
 */
export function constantData(icebergType: IcebergType, arrowType: DataType, value: IcebergValue, n: number): Data {
  if (value === null) return nullData(arrowType, n);
  if (value === STRUCT_PRESENT && icebergType.kind === 'struct') {
    const children = icebergType.fields.map((f, i) =>
      constantData(f.type, (arrowType.children[i] as Field).type, valueFromJson(f.type, f.initialDefault, f.name), n),
    );
    return new Data(arrowType, 0, n, 0, [undefined, undefined, undefined], children);
  }
  switch (arrowType.typeId) {
    case Type.Bool:
      return new Data(arrowType, 0, n, 0, [undefined, fill(new Uint8Array(bitmapBytes(n)), value ? 0xff : 0)]);
    case Type.Utf8:
    case Type.Binary: {
      const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : (value as Uint8Array);
      const { offsets, values } = repeatBytes(bytes, n);
      return new Data(arrowType, 0, n, 0, [offsets, values]);
    }
    case Type.FixedSizeBinary:
      return new Data(arrowType, 0, n, 0, [undefined, repeatBytes(value as Uint8Array, n).values]);
    case Type.Decimal:
      return new Data(arrowType, 0, n, 0, [undefined, decimalWords(value as bigint, n)]);
    default: {
      const ArrayType = (arrowType as unknown as { ArrayType: TypedArrayCtor }).ArrayType;
      const array = new ArrayType(n) as unknown as { fill(v: never): unknown };
      return new Data(arrowType, 0, n, 0, [undefined, fill(array, value) as never]);
    }
  }
}
