import { describe, it, expect } from '@jest/globals';
import {
  Dictionary,
  Field,
  FixedSizeList,
  Float32,
  Float16,
  Int32,
  Int64,
  LargeBinary,
  Map_,
  Struct,
  TimeMicrosecond,
  Utf8,
  vectorFromArray,
  IntervalDayTime,
  Null,
  makeData,
  makeVector,
} from 'apache-arrow';
import { batchToRows } from '../../../src/engine/encoding/index.js';
import { primitive, tableOf } from '../../helpers/arrow.js';
import { BIG, goldCustomers } from '../../helpers/fixtures.js';

describe('batchToRows', () => {
  it('gives bigint for 64-bit integers and the JSON rules for the rest by default', () => {
    const [row0, row1, row2] = batchToRows(goldCustomers().batches[0]!);
    expect(row0).toEqual({
      customer_id: 1n,
      email_address: 'a@x.io',
      balance: '123.45',
      updated_at: '2024-05-01T10:00:00.123456Z',
      local_at: '2024-05-01T10:00:00.123456789',
      birthday: '1970-01-01',
      active: true,
      score: 1.5,
      avatar: 'AQID',
      external_id: '00010203-0405-0607-0809-0a0b0c0d0e0f',
      tags: ['a', 'b'],
      address: { city: 'Paris', zip: 75001 },
      points: 0n,
      signup_ms: '1970-01-02',
    });
    expect(row1?.customer_id).toBe(BIG);
    expect(row1?.points).toBe(18446744073709551615n);
    expect(row2).toMatchObject({ email_address: null, updated_at: null, active: null, tags: null, address: null });
    expect(Number.isNaN(row2?.score)).toBe(true);
  });

  it('gives JSON-safe 64-bit integers with int64 string or auto', () => {
    const table = tableOf({ id: primitive(new Int64(), BigInt64Array.from([1n, BIG])) });
    expect(batchToRows(table.batches[0]!, { int64: 'string' })).toEqual([{ id: '1' }, { id: String(BIG) }]);
    expect(batchToRows(table.batches[0]!, { int64: 'auto' })).toEqual([{ id: 1 }, { id: String(BIG) }]);
  });

  it('converts maps, fixed-size lists, dictionaries, times and other types', () => {
    const entries = new Field(
      'entries',
      new Struct([new Field('key', new Utf8(), false), new Field('value', new Int32(), true)]),
      false,
    );
    const table = tableOf({
      m: vectorFromArray([new Map([['a', 1]]), null], new Map_(entries)),
      fl: vectorFromArray([[1, 2], null], new FixedSizeList(2, new Field('item', new Int32(), true))),
      dict: vectorFromArray(['x', 'y'], new Dictionary(new Utf8(), new Int32())),
      t: primitive(new TimeMicrosecond(), BigInt64Array.from([1n, 2n])),
      f32: primitive(new Float32(), Float32Array.from([0.1, 2])),
      f16: primitive(new Float16(), Uint16Array.from([0x3c00, 0x0001])),
      lb: vectorFromArray([Uint8Array.of(1), null], new LargeBinary()),
      iv: vectorFromArray([Int32Array.of(1, 2), null], new IntervalDayTime()),
      nothing: makeVector(makeData({ type: new Null(), length: 2, nullCount: 2 })),
    });
    const rows = batchToRows(table.batches[0]!);
    expect(rows[0]).toMatchObject({
      m: { a: 1 },
      fl: [1, 2],
      dict: 'x',
      t: '00:00:00.000001',
      f32: 0.1,
      f16: 1,
      lb: 'AQ==',
      nothing: null,
    });
    expect(Array.from(rows[0]?.iv as Int32Array)).toEqual([1, 2]);
    expect(rows[1]).toMatchObject({ m: null, fl: null, dict: 'y', lb: null, iv: null });
    expect(rows[1]?.f16).toBeCloseTo(5.96e-8, 9);
  });
});
