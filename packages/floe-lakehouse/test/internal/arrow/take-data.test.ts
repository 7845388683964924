import { describe, expect, it } from '@jest/globals';
import {
  Bool,
  Decimal,
  Dictionary,
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Int32,
  Int64,
  List,
  Map_,
  Null,
  Struct,
  Utf8,
  makeData,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';
import { constantData, nullData } from '../../../src/internal/arrow/constant-data.js';
import { takeData } from '../../../src/internal/arrow/take-data.js';
import {
  STRUCT_PRESENT,
  decimalFromBytes,
  parseDecimal,
  valueFromJson,
  valueFromPartition,
} from '../../../src/internal/arrow/iceberg-values.js';
import type { IcebergType, PrimitiveType } from '../../../src/internal/metadata/iceberg-schema.js';
import { cell } from '../../support/rows.js';

const vec = (items: unknown[], type: DataType): Data =>
  vectorFromArray(items as never[], type as never).data[0] as Data;
const values = (data: Data): unknown[] => Array.from({ length: data.length }, (_, i) => cell(data, i));
const pick = Int32Array.from.bind(Int32Array) as (a: number[]) => Int32Array;
const prim = (name: PrimitiveType['name'], extra: Partial<PrimitiveType> = {}): PrimitiveType => ({
  kind: 'primitive',
  name,
  text: name,
  ...extra,
});

describe('takeData', () => {
  it('selects rows of flat columns keeping nulls when indices skip rows', () => {
    expect(values(takeData(vec([1, null, 3, 4], new Int32()), pick([3, 1, 0])))).toEqual([4, null, 1]);
    expect(values(takeData(vec([true, false, null, true], new Bool()), pick([0, 1, 2])))).toEqual([true, false, null]);
    expect(values(takeData(vec(['a', 'bb', null, 'dddd'], new Utf8()), pick([3, 2, 1])))).toEqual(['dddd', null, 'bb']);
    const fixed = makeData({ type: new FixedSizeBinary(2), length: 3, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) });
    expect(values(takeData(fixed, pick([2, 0])))).toEqual(['0506', '0102']);
    const decimal = makeData({
      type: new Decimal(1, 9, 128),
      length: 2,
      data: new Uint32Array([5, 0, 0, 0, 7, 0, 0, 0]),
    });
    expect(values(takeData(decimal, pick([1])))).toEqual(['0.7']);
    expect(takeData(makeData({ type: new Null(), length: 4 }), pick([0, 1])).length).toBe(2);
  });

  it('selects rows of nested columns when the column is a list, map or struct', () => {
    const list = vec([[1n, 2n], null, [3n]], new List(new Field('element', new Int64(), true)));
    expect(values(takeData(list, pick([2, 0, 1])))).toEqual([[3n], [1n, 2n], null]);
    const struct = vec(
      [{ a: 1, b: 'x' }, null, { a: 3, b: null }],
      new Struct([new Field('a', new Int32(), true), new Field('b', new Utf8(), true)]),
    );
    expect(values(takeData(struct, pick([2, 1])))).toEqual([{ a: 3, b: null }, null]);
    const mapType = new Map_(
      new Field(
        'entries',
        new Struct([new Field('key', new Utf8(), false), new Field('value', new Int32(), true)]),
        false,
      ) as never,
    );
    const map = vec(
      [
        new Map([['k', 1]]),
        new Map([
          ['a', 2],
          ['b', 3],
        ]),
      ],
      mapType,
    );
    expect(values(takeData(map, pick([1])))).toEqual([{ a: 2, b: 3 }]);
    const fsl = vec(
      [
        [1, 2],
        [3, 4],
      ],
      new FixedSizeList(2, new Field('item', new Int32(), true)),
    );
    expect((takeData(fsl, pick([1])).children[0] as Data).values).toEqual(Int32Array.from([3, 4]));
    const dict = vec(['x', 'y', 'x'], new Dictionary(new Utf8(), new Int32()));
    const taken = takeData(dict, pick([1, 2]));
    expect(Array.from(taken.values as Int32Array)).toEqual([1, 0]);
    expect(taken.dictionary).toBe(dict.dictionary);
  });
});

describe('constantData', () => {
  it('repeats a value or nulls for every supported type', () => {
    expect(values(constantData(prim('int'), new Int32(), 7, 3))).toEqual([7, 7, 7]);
    expect(values(constantData(prim('boolean'), new Bool(), false, 2))).toEqual([false, false]);
    expect(values(constantData(prim('string'), new Utf8(), 'hé', 2))).toEqual(['hé', 'hé']);
    expect(
      values(constantData(prim('fixed', { length: 2 }), new FixedSizeBinary(2), Uint8Array.from([9, 8]), 2)),
    ).toEqual(['0908', '0908']);
    expect(values(constantData(prim('decimal', { scale: 2 }), new Decimal(2, 10, 128), -150n, 1))).toEqual(['-1.50']);
    expect(values(nullData(new Int64(), 2))).toEqual([null, null]);
    expect(values(nullData(new Utf8(), 1))).toEqual([null]);
    expect(values(nullData(new Bool(), 1))).toEqual([null]);
    expect(values(nullData(new List(new Field('element', new Int32(), true)), 2))).toEqual([null, null]);
    expect(values(nullData(new Struct([new Field('a', new Int32(), true)]), 1))).toEqual([null]);
    expect(nullData(new Null(), 3).nullCount).toBe(3);
    const structType: IcebergType = {
      kind: 'struct',
      fields: [{ id: 2, name: 'a', required: false, type: prim('long'), initialDefault: 4 }],
    };
    expect(
      values(constantData(structType, new Struct([new Field('a', new Int64(), true)]), STRUCT_PRESENT, 2)),
    ).toEqual([{ a: 4n }, { a: 4n }]);
  });
});

describe('iceberg values', () => {
  it('parses JSON single values and partition values per Iceberg type', () => {
    expect(parseDecimal('12.3', 2)).toBe(1230n);
    expect(parseDecimal('-0.05', 2)).toBe(-5n);
    expect(parseDecimal('1.5e2', 0)).toBe(150n);
    expect(parseDecimal('7.100', 2)).toBe(710n);
    expect(() => parseDecimal('1.234', 2)).toThrow(/more than 2/);
    expect(() => parseDecimal('abc', 2)).toThrow(/invalid decimal/);
    expect(decimalFromBytes(Uint8Array.from([0xff, 0x38]))).toBe(-200n);
    expect(valueFromJson(prim('timestamptz'), '2024-01-01T01:00:00.5+01:00', 'c')).toBe(1_704_067_200_500_000n);
    expect(valueFromJson(prim('timestamp_ns'), '1970-01-01T00:00:01.000000001', 'c')).toBe(1_000_000_001n);
    expect(valueFromJson(prim('date'), '1970-01-02', 'c')).toBe(1);
    expect(valueFromJson(prim('uuid'), 'ABCDEF00-0000-0000-0000-000000000000', 'c')).toBe(
      'abcdef00-0000-0000-0000-000000000000',
    );
    expect(() => valueFromJson(prim('boolean'), 'yes', 'flag')).toThrow(/Invalid default value for flag/);
    expect(() => valueFromJson(prim('binary'), 'zz', 'bin')).toThrow(/invalid hex/);
    expect(() =>
      valueFromJson({ kind: 'list', elementId: 1, elementRequired: false, element: prim('int') }, [1], 'l'),
    ).toThrow(/Non-null list default/);
    expect(valueFromPartition(prim('decimal', { scale: 2 }), Buffer.from([0x01, 0x00]))).toBe(256n);
    expect(valueFromPartition(prim('uuid'), Buffer.alloc(16))).toBe('00000000-0000-0000-0000-000000000000');
    expect(valueFromPartition(prim('timestamp'), 5n)).toBe(5n);
    expect(valueFromPartition(prim('int'), 3)).toBe(3);
    expect(valueFromPartition(prim('binary'), 'not bytes')).toBeNull();
    expect(valueFromPartition(prim('string'), null)).toBeNull();
  });
});
