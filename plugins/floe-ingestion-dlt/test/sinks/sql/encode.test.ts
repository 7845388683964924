import { describe, it, expect } from '@jest/globals';
import {
  Binary,
  Bool,
  DateMillisecond,
  Dictionary,
  Field,
  FixedSizeList,
  Float16,
  Float32,
  Float64,
  Int32,
  Int64,
  LargeUtf8,
  List,
  Map_,
  Struct,
  TimeMicrosecond,
  TimeSecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Uint8,
  Utf8,
  makeData,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';
import { columnKind, describeArrowType, type ColumnKind } from '../../../src/sinks/sql/column-kind.js';
import { binaryCopyEncoder } from '../../../src/sinks/sql/encode/copy-binary-encoder.js';
import { copyTextChunks, escapeCopyText } from '../../../src/sinks/sql/encode/copy-text-encoder.js';
import { decimalText } from '../../../src/internal/arrow-values/decimal-text.js';
import { jsonTextReader } from '../../../src/sinks/sql/encode/json-text.js';
import { postgresNumeric } from '../../../src/sinks/sql/encode/postgres-numeric.js';
import { mysqlLiteralReader, mysqlString, sqliteValueReader } from '../../../src/sinks/sql/encode/sql-literals.js';
import { civilFromDays, isoDate } from '../../../src/internal/arrow-values/civil-date.js';
import { splitEpoch } from '../../../src/internal/arrow-values/split-epoch.js';
import { textReader } from '../../../src/sinks/sql/encode/text-reader.js';
import { findUnrepresentable } from '../../../src/sinks/sql/encode/unrepresentable.js';
import { dateDays, decimal, int64, timestampUs } from './support/arrow-fixtures.js';

function data(values: readonly unknown[], type: DataType): Data {
  return vectorFromArray(values as never[], type).data[0] as Data;
}

function kindOf(type: DataType): ColumnKind {
  return columnKind(type) as ColumnKind;
}

function read(column: Data, style: 'iso' | 'sql' = 'iso'): (string | null)[] {
  const reader = textReader(column, kindOf(column.type), style);
  return Array.from({ length: column.length }, (_, i) => reader(i));
}

function copyText(columns: Data[], rows?: number[]): string {
  const encoded = columns.map((column) => ({ data: column, kind: kindOf(column.type) }));
  const indexes = rows ?? Array.from({ length: columns[0]?.length ?? 0 }, (_, i) => i);
  return Buffer.concat([...copyTextChunks(encoded, indexes, 16)]).toString('utf8');
}

describe('COPY text encoder', () => {
  it('writes one escaped line per row with \\N for null, BC years and +00 for zoned timestamps', () => {
    const text = copyText([
      int64([1n, -9223372036854775808n, null]).data[0] as Data,
      data(['a\tb\nc\\d\re', '', null], new Utf8()),
      data([true, false, null], new Bool()),
      timestampUs([1_700_000_000_123_456n, -62_167_219_200_000_000n, 253_402_300_800_000_000n]).data[0] as Data,
      timestampUs([0n, 1n, null], null).data[0] as Data,
      dateDays([-719_529, 0, null]).data[0] as Data,
      data([-0, 1e21, Number.NaN], new Float64()),
    ]);
    expect(text).toBe(
      [
        '1\ta\\tb\\nc\\\\d\\re\tt\t2023-11-14 22:13:20.123456+00\t1970-01-01 00:00:00\t0002-12-31 BC\t-0\n',
        '-9223372036854775808\t\tf\t0001-01-01 00:00:00+00 BC\t1970-01-01 00:00:00.000001\t1970-01-01\t1e+21\n',
        '\\N\t\\N\t\\N\t10000-01-01 00:00:00+00\t\\N\t\\N\tNaN\n',
      ].join(''),
    );
  });

  it('encodes only the selected rows, in the given order, and hex-escapes binary', () => {
    const text = copyText(
      [data([Uint8Array.from([0, 255]), new Uint8Array(0), null], new Binary()), data([1, 2, 3], new Uint8())],
      [2, 0],
    );
    expect(text).toBe('\\N\t3\n\\\\x00ff\t1\n');
  });

  it('escapes COPY text specials', () => {
    expect(escapeCopyText('plain')).toBe('plain');
    expect(escapeCopyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
  });
});

describe('text reader', () => {
  it('reads every supported type exactly', () => {
    expect(read(decimal([-1n, 12345n, 0n, null], 10, 4).data[0] as Data)).toEqual([
      '-0.0001',
      '1.2345',
      '0.0000',
      null,
    ]);
    expect(read(data([1.5, null], new Float16()))).toEqual(['1.5', null]);
    expect(read(data([Math.fround(0.1)], new Float32()))).toEqual([String(Math.fround(0.1))]);
    expect(read(data(['x', 'ü'], new LargeUtf8()))).toEqual(['x', 'ü']);
    expect(read(data(['b', 'a', 'b'], new Dictionary(new Utf8(), new Int32())))).toEqual(['b', 'a', 'b']);
    expect(read(data([0, 86_400_000 * 365], new DateMillisecond()))).toEqual(['1970-01-01', '1971-01-01']);
    expect(read(data([3_661_000_001n], new TimeMicrosecond()))).toEqual(['01:01:01.000001']);
    expect(read(data([59], new TimeSecond()))).toEqual(['00:00:59']);
    const nanos = makeData({
      type: new TimestampNanosecond('UTC'),
      length: 2,
      nullCount: 0,
      data: BigInt64Array.from([1_700_000_000_123_456_789n, -1n]),
    });
    expect(read(nanos)).toEqual(['2023-11-14T22:13:20.123456789Z', '1969-12-31T23:59:59.999999999Z']);
    const seconds = makeData({ type: new TimestampSecond(), length: 1, nullCount: 0, data: BigInt64Array.from([-1n]) });
    expect(read(seconds, 'sql')).toEqual(['1969-12-31 23:59:59']);
    const millis = makeData({
      type: new TimestampMillisecond('+02:00'),
      length: 1,
      nullCount: 0,
      data: BigInt64Array.from([1_500n]),
    });
    expect(read(millis)).toEqual(['1970-01-01T00:00:01.500000Z']);
  });

  it('formats decimals of 128 and 256 bits beyond 2^53 exactly', () => {
    const words = new Uint32Array([0xffffffff, 0xffffffff, 0xffffffff, 0x7fffffff]);
    expect(decimalText(words, 0, 4, 0)).toBe('170141183460469231731687303715884105727');
    expect(decimalText(new Uint32Array([5, 0, 0, 0, 0, 0, 0, 0]), 0, 8, -2)).toBe('500');
    expect(decimalText(new Uint32Array([0xfffffffe, 0xffffffff, 0xffffffff, 0xffffffff]), 0, 4, 1)).toBe('-0.2');
  });

  it('computes calendar dates across eras', () => {
    const out = { year: 0, month: 0, day: 0 };
    expect(isoDate(civilFromDays(-719_528, out))).toBe('0000-01-01');
    expect(isoDate(civilFromDays(-719_529, out))).toBe('-000001-12-31');
    expect(isoDate(civilFromDays(2_932_897, out))).toBe('+010000-01-01');
    expect(splitEpoch(-1n, 3, { days: 0, micros: 0, nanos: 0 })).toEqual({
      days: -1,
      micros: 86_399_999_999,
      nanos: 999,
    });
  });
});

describe('JSON text reader', () => {
  it('writes lists, structs, maps and fixed-size lists exactly', () => {
    const struct = new Struct([
      new Field('n', new Int64(), true),
      new Field('b', new Binary(), true),
      new Field('f', new Float64(), true),
    ]);
    const nested = data(
      [
        { n: 9007199254740993n, b: Uint8Array.from([1, 2]), f: Number.POSITIVE_INFINITY },
        null,
        { n: null, b: null, f: 0.5 },
      ],
      struct,
    );
    const reader = jsonTextReader(nested);
    expect([0, 1, 2].map(reader)).toEqual([
      '{"n":9007199254740993,"b":"AQI=","f":"Infinity"}',
      null,
      '{"n":null,"b":null,"f":0.5}',
    ]);
    const map = data(
      [
        new Map([
          ['k', 1],
          ['q"', null],
        ]),
      ],
      new Map_(
        new Field(
          'entries',
          new Struct([new Field('key', new Utf8(), false), new Field('value', new Int32(), true)]),
          false,
        ) as never,
      ),
    );
    expect(jsonTextReader(map)(0)).toBe('{"k":1,"q\\"":null}');
    const fixed = data(
      [
        [1, 2],
        [3, null],
      ],
      new FixedSizeList(2, new Field('item', new Int32(), true)),
    );
    expect([0, 1].map(jsonTextReader(fixed))).toEqual(['[1,2]', '[3,null]']);
    const lists = data([['a'], []], new List(new Field('item', new Dictionary(new Utf8(), new Int32()), true)));
    expect([0, 1].map(jsonTextReader(lists))).toEqual(['["a"]', '[]']);
  });
});

describe('MySQL and SQLite values', () => {
  it('writes MySQL literals exactly, escaping strings', () => {
    expect(mysqlString("it's \\ \0 \n \r \x1a")).toBe("'it\\'s \\\\ \\0 \\n \\r \\Z'");
    const literals = (column: Data) =>
      Array.from({ length: column.length }, (_, i) => mysqlLiteralReader(column, kindOf(column.type))(i));
    expect(literals(int64([9223372036854775807n, null]).data[0] as Data)).toEqual(['9223372036854775807', 'NULL']);
    expect(literals(data([Uint8Array.from([171])], new Binary()))).toEqual(["X'ab'"]);
    expect(literals(timestampUs([1n]).data[0] as Data)).toEqual(["'1970-01-01 00:00:00.000001'"]);
    expect(literals(data([true, null], new Bool()))).toEqual(['true', 'NULL']);
  });

  it('binds SQLite values without loss', () => {
    const values = (column: Data) =>
      Array.from({ length: column.length }, (_, i) => sqliteValueReader(column, kindOf(column.type))(i));
    expect(values(int64([-9223372036854775808n, null]).data[0] as Data)).toEqual([-9223372036854775808n, null]);
    expect(values(data([true, false, null], new Bool()))).toEqual([1, 0, null]);
    expect(values(data([Uint8Array.from([1])], new Binary()))).toEqual([Buffer.from([1])]);
    expect(values(data([0.25, null], new Float64()))).toEqual([0.25, null]);
  });
});

describe('PostgreSQL binary COPY encoder', () => {
  it('regroups decimal text into base-10000 numeric words', () => {
    expect(postgresNumeric('12345.60')).toEqual([3, 1, 0, 2, 1, 2345, 6000]);
    expect(postgresNumeric('-0.0001')).toEqual([1, -1, 0x4000, 4, 1]);
    expect(postgresNumeric('0.0000')).toEqual([0, 0, 0, 4]);
    expect(postgresNumeric('100000000')).toEqual([1, 2, 0, 0, 1]);
  });

  it('declines target types it has no writer for, so the caller uses text COPY', () => {
    const column = { data: data(['x'], new Utf8()), kind: kindOf(new Utf8()) };
    expect(binaryCopyEncoder([column], ['xml'])).toBeUndefined();
    expect(binaryCopyEncoder([column], ['text'])).toBeDefined();
    const wide = { data: int64([1n]).data[0] as Data, kind: kindOf(new Int64()) };
    expect(binaryCopyEncoder([wide], ['integer'])).toBeUndefined();
  });

  it('writes the PGCOPY header, tuples and trailer', () => {
    const column = { data: data([1, null], new Int32()), kind: kindOf(new Int32()) };
    const encode = binaryCopyEncoder([column], ['bigint']);
    const bytes = Buffer.concat([...(encode as NonNullable<typeof encode>)([0, 1])]);
    expect(bytes.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect([...bytes.subarray(19)]).toEqual([
      0, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 255, 255, 255, 255, 255, 255,
    ]);
  });
});

describe('unrepresentable values', () => {
  it('refuses NaN and infinities where the dialect cannot store them, and sub-microsecond times', () => {
    const floats = {
      name: 'f',
      data: data([1, Number.NaN, Number.POSITIVE_INFINITY], new Float64()),
      kind: kindOf(new Float64()),
    };
    const nanos = makeData({
      type: new TimestampNanosecond(),
      length: 3,
      nullCount: 0,
      data: BigInt64Array.from([1_000n, 1_001n, 0n]),
    });
    const stamps = { name: 't', data: nanos, kind: kindOf(nanos.type) };
    expect([...findUnrepresentable([floats, stamps], 'mysql', [0, 1, 2]).keys()]).toEqual([1, 2]);
    expect([...findUnrepresentable([floats, stamps], 'sqlite', [0, 1, 2]).keys()]).toEqual([1]);
    const postgres = findUnrepresentable([floats, stamps], 'postgres', [0, 1, 2]);
    expect([...postgres.entries()]).toEqual([
      [1, 'column "t": value 1001 ns has sub-microsecond precision the column cannot hold'],
    ]);
  });

  it('describes Arrow types for messages', () => {
    expect(describeArrowType(timestampUs([]).type)).toBe('Timestamp(µs, UTC)');
    expect(describeArrowType(decimal([], 38, 10).type)).toBe('Decimal(38,10)');
    expect(columnKind(new (class extends Int32 {})())).toEqual({ kind: 'int', bits: 32, signed: true });
  });
});
