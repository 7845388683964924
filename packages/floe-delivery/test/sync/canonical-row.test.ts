import { describe, expect, it } from '@jest/globals';
import { recordBatch } from './record-batch.js';
import {
  Bool,
  DateDay,
  Decimal,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  Map_,
  type RecordBatch,
  Struct,
  TimestampMicrosecond,
  TimestampNanosecond,
  Utf8,
  Binary,
  makeData,
  makeVector,
  tableFromArrays,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { parseSyncKey, rowFingerprints, syncKeyText, syncKeyTexts } from '../../src/index.js';

/** A one-batch RecordBatch of the given columns. */
function batchOf(columns: Record<string, Vector>): RecordBatch {
  return recordBatch(columns);
}

function vec<T extends DataType>(type: T, values: unknown[]): Vector<T> {
  return vectorFromArray(values as never, type) as Vector<T>;
}

describe('syncKeyText', () => {
  it('keeps single keys short and composite keys a JSON array', () => {
    expect(syncKeyText([123])).toBe('123');
    expect(syncKeyText([123n])).toBe('123');
    expect(syncKeyText(['abc'])).toBe('"abc"');
    expect(syncKeyText([1n, 'eu'])).toBe('[1,"eu"]');
    expect(syncKeyText([-0])).toBe('0');
  });

  it('reads the same key text from Arrow columns, and parses it back to builder values', () => {
    const batch = batchOf({
      id: vec(new Int64(), [1n, 9007199254740993n, null]),
      region: vec(new Utf8(), ['eu', 'us "x", [y]', 'eu']),
      n: vec(new Int32(), [7, -3, 5]),
    });
    expect(syncKeyTexts(batch, ['id'])).toEqual(['1', '9007199254740993', null]);
    const composite = syncKeyTexts(batch, ['id', 'region', 'n']);
    expect(composite).toEqual(['[1,"eu",7]', '[9007199254740993,"us \\"x\\", [y]",-3]', null]);
    expect(composite[0]).toBe(syncKeyText([1n, 'eu', 7]));
    expect(parseSyncKey(composite[1]!, [new Int64(), new Utf8(), new Int32()])).toEqual([
      9007199254740993n,
      'us "x", [y]',
      -3,
    ]);
    expect(parseSyncKey('"abc"', [new Utf8()])).toEqual(['abc']);
    expect(() => parseSyncKey('[1]', [new Int64(), new Utf8()])).toThrow(/does not parse/);
  });
});

describe('rowFingerprints', () => {
  const struct = new Struct([new Field('a', new Int32(), true), new Field('b', new Utf8(), true)]);
  const swapped = new Struct([new Field('b', new Utf8(), true), new Field('a', new Int32(), true)]);

  it('does not depend on column order or struct field order', () => {
    const one = batchOf({
      x: vec(new Int32(), [1, 2]),
      s: vec(struct, [
        { a: 1, b: 'p' },
        { a: 2, b: null },
      ]),
      y: vec(new Utf8(), ['a', '']),
    });
    const two = batchOf({
      y: vec(new Utf8(), ['a', '']),
      s: vec(swapped, [
        { b: 'p', a: 1 },
        { b: null, a: 2 },
      ]),
      x: vec(new Int32(), [1, 2]),
    });
    const fps = rowFingerprints(one, ['x', 's', 'y']);
    expect(fps).toEqual(rowFingerprints(two, ['y', 'x', 's']));
    expect(fps[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(fps[0]).not.toBe(fps[1]);
  });

  it('changes with the name a column is sent under, not with the source name alone', () => {
    const batch = batchOf({ id: vec(new Int32(), [1]), name: vec(new Utf8(), ['a']) });
    const plain = rowFingerprints(batch, ['id', 'name']);
    expect(rowFingerprints(batch, ['id', 'name'], (column) => column)).toEqual(plain);
    const renamed = rowFingerprints(batch, ['id', 'name'], (column) => (column === 'name' ? 'label' : column));
    expect(renamed[0]).not.toBe(plain[0]);
    // The same values sent under the same names: the same fingerprint, whatever the source calls them.
    const other = batchOf({ id: vec(new Int32(), [1]), label: vec(new Utf8(), ['a']) });
    expect(rowFingerprints(other, ['id', 'label'])).toEqual(renamed);
  });

  it('tells null from "" and changes with each type’s value', () => {
    const cases: [string, DataType, unknown, unknown][] = [
      ['utf8', new Utf8(), '', null],
      ['utf8', new Utf8(), 'a', 'b'],
      ['int32', new Int32(), 1, 2],
      ['int64', new Int64(), 9007199254740992n, 9007199254740993n],
      ['float64', new Float64(), 0.1, 0.1 + 2 ** -55],
      ['bool', new Bool(), true, false],
      ['date', new DateDay(), new Date('2024-01-01'), new Date('2024-01-02')],
      ['list', new List(new Field('item', new Int32(), true)), [1, 2], [2, 1]],
      ['struct', struct, { a: 1, b: 'x' }, { a: 1, b: 'y' }],
      ['binary', new Binary(), new Uint8Array([1, 2]), new Uint8Array([1, 3])],
    ];
    for (const [name, type, a, b] of cases) {
      const batch = batchOf({ v: vec(type, [a, b, a]) });
      const [fa, fb, fa2] = rowFingerprints(batch, ['v']);
      expect({ name, same: fa === fa2, changed: fa !== fb }).toEqual({ name, same: true, changed: true });
    }
  });

  it('treats -0 as 0 and fixes NaN; µs and ns timestamps and decimals exactly', () => {
    const floats = batchOf({ v: vec(new Float64(), [0, -0, Number.NaN, Number.NaN]) });
    const [zero, negativeZero, nan, nan2] = rowFingerprints(floats, ['v']);
    expect(negativeZero).toBe(zero);
    expect(nan2).toBe(nan);
    const micros = makeVector(
      makeData({
        type: new TimestampMicrosecond(),
        length: 2,
        nullCount: 0,
        data: new BigInt64Array([1_700_000_000_000_001n, 1_700_000_000_000_002n]),
      }),
    );
    const [m1, m2] = rowFingerprints(batchOf({ t: micros }), ['t']);
    expect(m1).not.toBe(m2);
    const nanos = makeVector(
      makeData({
        type: new TimestampNanosecond(),
        length: 2,
        nullCount: 0,
        data: new BigInt64Array([1_700_000_000_000_000_001n, 1_700_000_000_000_000_002n]),
      }),
    );
    const [n1, n2] = rowFingerprints(batchOf({ t: nanos }), ['t']);
    expect(n1).not.toBe(n2);
    // 12.30 and 12.3 (scale 2 vs the same value) are one value; 12.31 is another.
    const decimals = makeVector(
      makeData({
        type: new Decimal(2, 10, 128),
        length: 3,
        nullCount: 0,
        data: new Uint32Array([1230, 0, 0, 0, 1231, 0, 0, 0, 1230, 0, 0, 0]),
      }),
    );
    const [d1, d2, d3] = rowFingerprints(batchOf({ d: decimals }), ['d']);
    expect(d1).toBe(d3);
    expect(d1).not.toBe(d2);
  });

  it('does not depend on map entry order', () => {
    const type = new Map_(
      new Field(
        'entries',
        new Struct<{ key: Utf8; value: Int32 }>([
          new Field('key', new Utf8(), false),
          new Field('value', new Int32(), true),
        ]),
        false,
      ),
    );
    const batch = batchOf({
      m: vec(type, [
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
        new Map([
          ['b', 2],
          ['a', 1],
        ]),
        new Map([['a', 1]]),
      ]),
    });
    const [a, b, c] = rowFingerprints(batch, ['m']);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('names a missing column', () => {
    const table = tableFromArrays({ a: Int32Array.from([1]) });
    expect(() => rowFingerprints(table.batches[0]!, ['nope'])).toThrow(/no column "nope"/);
  });
});
