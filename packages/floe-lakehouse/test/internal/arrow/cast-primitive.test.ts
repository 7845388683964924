import { describe, expect, it } from '@jest/globals';
import {
  Binary,
  Bool,
  DateDay,
  DateMillisecond,
  Decimal,
  Dictionary,
  FixedSizeBinary,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  LargeBinary,
  LargeUtf8,
  makeData,
  TimeMillisecond,
  TimeMicrosecond,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Utf8,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';
import { castPrimitive } from '../../../src/internal/arrow/cast-primitive.js';
import type { PrimitiveType } from '../../../src/internal/metadata/iceberg-schema.js';
import { isIcebergMetadataError } from '../../../src/index.js';
import { cell } from '../../support/rows.js';

const prim = (name: PrimitiveType['name'], extra: Partial<PrimitiveType> = {}): PrimitiveType => ({
  kind: 'primitive',
  name,
  text: name,
  ...extra,
});
const values = (data: Data): unknown[] => Array.from({ length: data.length }, (_, i) => cell(data, i));
const vec = (items: unknown[], type: DataType): Data =>
  vectorFromArray(items as never[], type as never).data[0] as Data;

describe('castPrimitive', () => {
  it('widens narrow integers and floats when the Iceberg type was promoted', () => {
    expect(values(castPrimitive(vec([1, -2, null], new Int8()), prim('int'), new Int32(), 'c'))).toEqual([1, -2, null]);
    expect(values(castPrimitive(vec([1, -2, null], new Int16()), prim('long'), new Int64(), 'c'))).toEqual([
      1n,
      -2n,
      null,
    ]);
    expect(values(castPrimitive(vec([2147483647, -2147483648], new Int32()), prim('long'), new Int64(), 'c'))).toEqual([
      2147483647n,
      -2147483648n,
    ]);
    expect(values(castPrimitive(vec([1.5, null], new Float32()), prim('double'), new Float64(), 'c'))).toEqual([
      1.5,
      null,
    ]);
    expect(values(castPrimitive(vec([true, false], new Bool()), prim('boolean'), new Bool(), 'c'))).toEqual([
      true,
      false,
    ]);
  });

  it('keeps decimal data and retypes precision when the decimal was widened', () => {
    const data = makeData({ type: new Decimal(2, 10, 128), length: 1, data: new Uint32Array([1234, 0, 0, 0]) });
    const out = castPrimitive(data, prim('decimal', { precision: 20, scale: 2 }), new Decimal(2, 20, 128), 'c');
    expect((out.type as Decimal).precision).toBe(20);
    expect(values(out)).toEqual(['12.34']);
  });

  it('rescales dates, times and timestamps to days and microseconds', () => {
    const day = 86_400_000;
    expect(
      values(
        castPrimitive(
          makeData({ type: new DateMillisecond(), length: 1, data: new BigInt64Array([BigInt(3 * day)]) }),
          prim('date'),
          new DateDay(),
          'c',
        ),
      ),
    ).toEqual(['1970-01-04']);
    expect(
      values(
        castPrimitive(
          makeData({ type: new TimeMillisecond(), length: 1, data: new Int32Array([1500]) }),
          prim('time'),
          new TimeMicrosecond(),
          'c',
        ),
      ),
    ).toEqual([1_500_000n]);
    const seconds = makeData({ type: new TimestampSecond(), length: 1, data: new BigInt64Array([2n]) });
    expect(values(castPrimitive(seconds, prim('timestamp'), new TimestampMicrosecond(), 'c'))).toEqual([2_000_000n]);
    const millis = makeData({ type: new TimestampMillisecond('UTC'), length: 1, data: new BigInt64Array([5n]) });
    expect(values(castPrimitive(millis, prim('timestamptz'), new TimestampMicrosecond('UTC'), 'c'))).toEqual([5000n]);
    const nanos = makeData({ type: new TimestampNanosecond(), length: 2, data: new BigInt64Array([1_999n, -1_001n]) });
    expect(values(castPrimitive(nanos, prim('timestamp'), new TimestampMicrosecond(), 'c'))).toEqual([1n, -2n]);
    const micros = makeData({ type: new TimestampMicrosecond(), length: 1, data: new BigInt64Array([7n]) });
    expect(values(castPrimitive(micros, prim('timestamp_ns'), new TimestampNanosecond(), 'c'))).toEqual([7000n]);
  });

  it('converts large, binary, dictionary and fixed representations of strings and bytes', () => {
    expect(values(castPrimitive(vec(['a', null, 'ccc'], new LargeUtf8()), prim('string'), new Utf8(), 'c'))).toEqual([
      'a',
      null,
      'ccc',
    ]);
    expect(
      values(castPrimitive(vec([Uint8Array.from([104, 105])], new Binary()), prim('string'), new Utf8(), 'c')),
    ).toEqual(['hi']);
    expect(
      values(castPrimitive(vec([Uint8Array.from([1, 2])], new LargeBinary()), prim('binary'), new Binary(), 'c')),
    ).toEqual(['0102']);
    const fixed = makeData({ type: new FixedSizeBinary(2), length: 2, data: Uint8Array.from([1, 2, 3, 4]) });
    expect(values(castPrimitive(fixed, prim('binary'), new Binary(), 'c'))).toEqual(['0102', '0304']);
    expect(values(castPrimitive(fixed, prim('fixed', { length: 2 }), new FixedSizeBinary(2), 'c'))).toEqual([
      '0102',
      '0304',
    ]);
    const dict = vec(['x', 'y', 'x', null], new Dictionary(new Utf8(), new Int32()));
    expect(values(castPrimitive(dict, prim('string'), new Utf8(), 'c'))).toEqual(['x', 'y', 'x', null]);
    const uuidBytes = Uint8Array.from({ length: 16 }, (_, i) => i);
    expect(
      values(
        castPrimitive(
          makeData({ type: new FixedSizeBinary(16), length: 1, data: uuidBytes }),
          prim('uuid'),
          new Utf8(),
          'c',
        ),
      ),
    ).toEqual(['00010203-0405-0607-0809-0a0b0c0d0e0f']);
    expect(
      values(castPrimitive(vec(['3f2504e0-4f89-11d3-9a0c-0305e82c3301'], new Utf8()), prim('uuid'), new Utf8(), 'c')),
    ).toEqual(['3f2504e0-4f89-11d3-9a0c-0305e82c3301']);
  });

  it('throws a metadata error naming the column when the file type cannot be read as the Iceberg type', () => {
    let error: unknown;
    try {
      castPrimitive(vec(['x'], new Utf8()), prim('long'), new Int64(), 'orders.total');
    } catch (e) {
      error = e;
    }
    expect(isIcebergMetadataError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /Column "orders.total": data file type Utf8 cannot be read as Iceberg type long/,
    );
  });
});
