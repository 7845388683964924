import { describe, it, expect } from '@jest/globals';
import {
  Dictionary,
  Field,
  FixedSizeList,
  Float16,
  Float32,
  Int32,
  Int8,
  LargeUtf8,
  Map_,
  Null,
  Struct,
  TimeMicrosecond,
  TimeSecond,
  TimestampMillisecond,
  TimestampSecond,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  DurationMillisecond,
  Decimal,
  IntervalDayTime,
  Int64,
} from 'apache-arrow';
import { encodeJsonArray, encodeJsonRows } from '../../../src/engine/encoding/index.js';
import { decimalWords, parseRows, primitive, tableOf } from '../../helpers/arrow.js';
import { BIG, GOLD_JSON_ROW0, goldCustomers } from '../../helpers/fixtures.js';

describe('encodeJsonRows', () => {
  it('writes every Arrow type faithfully when given the gold table', () => {
    const rows = encodeJsonRows(goldCustomers().batches[0]!);
    expect(rows[0]).toBe(GOLD_JSON_ROW0);
    expect(rows[1]).toContain('"customer_id":9007199254740993,');
    expect(rows[1]).toContain('"balance":-0.05,');
    expect(rows[1]).toContain('"updated_at":"1970-01-01T00:00:00.000000Z"');
    expect(rows[1]).toContain('"birthday":"1969-12-31"');
    expect(rows[1]).toContain('"score":0,');
    expect(rows[1]).toContain('"avatar":null');
    expect(rows[1]).toContain('"address":{"city":null,"zip":1}');
    expect(rows[1]).toContain('"points":18446744073709551615,');
    expect(rows[2]).toContain('"customer_id":-9007199254740993,');
    expect(rows[2]).toContain('"email_address":null');
    expect(rows[2]).toContain('"updated_at":null');
    expect(rows[2]).toContain('"local_at":"1969-12-31T23:59:59.999999999"');
    expect(rows[2]).toContain('"active":null');
    expect(rows[2]).toContain('"score":"NaN"');
    expect(rows[2]).toContain('"avatar":""');
    expect(rows[2]).toContain('"tags":null');
    expect(rows[2]).toContain('"address":null');
    expect(rows[2]).toContain('"signup_ms":"1969-12-31"');
    expect(rows[3]).toContain('"email_address":"quote\\"and\\\\slash"');
    expect(rows[3]).toContain('"updated_at":"1969-12-31T23:59:59.999999Z"');
    expect(rows[3]).toContain('"birthday":"2000-02-29"');
    expect(rows[3]).toContain('"score":"Infinity"');
    expect(rows[3]).toContain('"tags":["c"]');
    expect(rows[3]).toContain('"signup_ms":"2024-05-01"');
    expect(rows[4]).toContain('"customer_id":9223372036854775807,');
    expect(rows[4]).toContain('"balance":999999999.99,');
    expect(rows[4]).toContain('"updated_at":"9999-12-31T23:59:59.999999Z"');
    expect(rows[4]).toContain('"birthday":"0000-01-01"');
    expect(rows[5]).toContain('"customer_id":-9223372036854775808,');
    expect(rows[5]).toContain('"balance":-1234567890.12,');
    expect(rows[5]).toContain('"birthday":"+010000-01-01"');
    expect(rows[5]).toContain('"score":0.1,');
    // Every row is valid JSON, and the parsed strings are the source strings.
    const parsed = parseRows(rows) as Record<string, unknown>[];
    expect(parsed.map((row) => row.email_address)).toEqual([
      'a@x.io',
      'b@x.io',
      null,
      'quote"and\\slash',
      'ünï©ødé',
      '',
    ]);
  });

  it('quotes 64-bit integers when int64 is string, and only unsafe ones when auto', () => {
    const table = tableOf({ id: primitive(new Int64(), BigInt64Array.from([1n, BIG, -(2n ** 53n)])) });
    expect(encodeJsonRows(table.batches[0]!, { int64: 'string' })).toEqual([
      '{"id":"1"}',
      `{"id":"${BIG}"}`,
      '{"id":"-9007199254740992"}',
    ]);
    expect(encodeJsonRows(table.batches[0]!, { int64: 'auto' })).toEqual([
      '{"id":1}',
      `{"id":"${BIG}"}`,
      '{"id":"-9007199254740992"}',
    ]);
  });

  it('writes decimals as exact strings when decimal is string, keeping the scale', () => {
    const table = tableOf({
      d: primitive(new Decimal(3, 20, 128), decimalWords([1000n, -1n, 170141183460469231731687303715884105727n]), {
        length: 3,
      }),
      e: primitive(new Decimal(-2, 5, 64), decimalWords([12n, 0n, -3n], 2), { length: 3 }),
    });
    expect(encodeJsonRows(table.batches[0]!, { decimal: 'string' })).toEqual([
      '{"d":"1.000","e":"1200"}',
      '{"d":"-0.001","e":"0"}',
      '{"d":"170141183460469231731687303715884105.727","e":"-300"}',
    ]);
  });

  it('encodes times, second and millisecond timestamps, durations, small ints and float32', () => {
    const table = tableOf({
      t: primitive(new TimeSecond(), Int32Array.from([0, 3661, 86399])),
      tu: primitive(new TimeMicrosecond(), BigInt64Array.from([1n, 3_600_000_000n, 86_399_999_999n])),
      ts: primitive(new TimestampSecond('Europe/Paris'), BigInt64Array.from([0n, 1n, -1n])),
      tm: primitive(new TimestampMillisecond(), BigInt64Array.from([1n, 1714557600123n, -1n])),
      du: primitive(new DurationMillisecond(), BigInt64Array.from([5n, BIG, -1n])),
      i8: primitive(new Int8(), Int8Array.from([-128, 0, 127])),
      f32: primitive(new Float32(), Float32Array.from([0.1, 3.4028234663852886e38, -2.5])),
      f16: primitive(new Float16(), Uint16Array.from([0x3c00, 0xc000, 0x7c00])),
      nothing: makeVector(makeData({ type: new Null(), length: 3, nullCount: 3 })),
    });
    expect(encodeJsonRows(table.batches[0]!)).toEqual([
      '{"t":"00:00:00","tu":"00:00:00.000001","ts":"1970-01-01T00:00:00Z","tm":"1970-01-01T00:00:00.001","du":5,"i8":-128,"f32":0.1,"f16":1,"nothing":null}',
      '{"t":"01:01:01","tu":"01:00:00.000000","ts":"1970-01-01T00:00:01Z","tm":"2024-05-01T10:00:00.123","du":9007199254740993,"i8":0,"f32":3.4028235e+38,"f16":-2,"nothing":null}',
      '{"t":"23:59:59","tu":"23:59:59.999999","ts":"1969-12-31T23:59:59Z","tm":"1969-12-31T23:59:59.999","du":-1,"i8":127,"f32":-2.5,"f16":"Infinity","nothing":null}',
    ]);
  });

  it('encodes maps, fixed-size lists, large strings, dictionaries and fallback types', () => {
    const entries = new Field(
      'entries',
      new Struct([new Field('key', new Utf8(), false), new Field('value', new Int32(), true)]),
      false,
    );
    const intKeys = new Field(
      'entries',
      new Struct([new Field('key', new Int32(), false), new Field('value', new Utf8(), true)]),
      false,
    );
    const table = tableOf({
      m: vectorFromArray(
        [
          new Map([
            ['a', 1],
            ['b', null],
          ]),
          new Map(),
          null,
        ],
        new Map_(entries),
      ),
      mi: vectorFromArray([new Map([[1, 'x']]), new Map([[2, 'y']]), new Map([[3, 'z']])], new Map_(intKeys)),
      fl: vectorFromArray([[1, 2], [3, 4], null], new FixedSizeList(2, new Field('item', new Int32(), true))),
      ls: vectorFromArray(['α', 'β', null], new LargeUtf8()),
      dict: vectorFromArray(['red', 'blue', 'red'], new Dictionary(new Utf8(), new Int32())),
      iv: vectorFromArray([Int32Array.of(1, 2), Int32Array.of(3, 4), null], new IntervalDayTime()),
    });
    const rows = encodeJsonRows(table.batches[0]!);
    expect(parseRows(rows)).toEqual([
      { m: { a: 1, b: null }, mi: { '1': 'x' }, fl: [1, 2], ls: 'α', dict: 'red', iv: [1, 2] },
      { m: {}, mi: { '2': 'y' }, fl: [3, 4], ls: 'β', dict: 'blue', iv: [3, 4] },
      { m: null, mi: { '3': 'z' }, fl: null, ls: null, dict: 'red', iv: null },
    ]);
  });

  it('reads slices at their offset, including bit-packed booleans and nulls', () => {
    const batch = goldCustomers().batches[0]!;
    const whole = encodeJsonRows(batch);
    expect(encodeJsonRows(batch.slice(1, 4))).toEqual(whole.slice(1, 4));
    expect(encodeJsonRows(batch.slice(3))).toEqual(whole.slice(3));
  });

  it('joins rows into one JSON array', () => {
    const table = tableOf({ a: vectorFromArray([1, 2], new Int32()) });
    expect(encodeJsonArray(table.batches[0]!)).toBe('[{"a":1},{"a":2}]');
    expect(encodeJsonArray(table.batches[0]!.slice(0, 0))).toBe('[]');
  });
});
