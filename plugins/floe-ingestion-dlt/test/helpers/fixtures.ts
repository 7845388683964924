import {
  Bool,
  DateDay,
  DateMillisecond,
  Decimal,
  Field,
  FixedSizeBinary,
  Float64,
  Int32,
  Int64,
  List,
  Struct,
  TimestampMicrosecond,
  TimestampNanosecond,
  Uint64,
  Utf8,
  Binary,
  vectorFromArray,
  type Table,
} from 'apache-arrow';
import { decimalWords, primitive, tableOf } from './arrow.js';

/** 2^53 + 1: not representable as a double. */
export const BIG = 9007199254740993n;

/**
 * A 6-row "gold customers" table with the hard types: int64 beyond 2^53, decimal(12,2), timestamp µs UTC,
 * naive timestamp ns, date, bool, nulls, binary, uuid, list and struct.
 */
export function goldCustomers(): Table {
  const n = 6;
  const valid = [true, true, false, true, true, true];
  return tableOf(
    {
      customer_id: primitive(
        new Int64(),
        BigInt64Array.from([1n, BIG, -BIG, 42n, 9223372036854775807n, -9223372036854775808n]),
      ),
      email_address: vectorFromArray(['a@x.io', 'b@x.io', null, 'quote"and\\slash', 'ünï©ødé', ''], new Utf8()),
      balance: primitive(new Decimal(2, 12, 128), decimalWords([12345n, -5n, 0n, 100n, 99999999999n, -123456789012n]), {
        length: n,
      }),
      updated_at: primitive(
        new TimestampMicrosecond('UTC'),
        BigInt64Array.from([1714557600123456n, 0n, 0n, -1n, 253402300799999999n, 1n]),
        { valid },
      ),
      local_at: primitive(
        new TimestampNanosecond(),
        BigInt64Array.from([1714557600123456789n, 1n, -1n, 0n, 5n, 999999999n]),
      ),
      birthday: primitive(new DateDay(), Int32Array.from([0, -1, 19844, 11016, -719528, 2932897])),
      active: vectorFromArray([true, false, null, true, false, true], new Bool()),
      score: primitive(new Float64(), Float64Array.from([1.5, -0, Number.NaN, Infinity, -Infinity, 0.1])),
      avatar: vectorFromArray(
        [Uint8Array.of(1, 2, 3), null, Uint8Array.of(), Uint8Array.of(255), Uint8Array.of(0), Uint8Array.of(104, 105)],
        new Binary(),
      ),
      external_id: primitive(
        new FixedSizeBinary(16),
        Uint8Array.from({ length: 16 * n }, (_, i) => i % 256),
        { length: n },
      ),
      tags: vectorFromArray(
        [['a', 'b'], [], null, ['c'], ['d', 'e', 'f'], ['g']],
        new List(new Field('item', new Utf8(), true)),
      ),
      address: vectorFromArray(
        [
          { city: 'Paris', zip: 75001 },
          { city: null, zip: 1 },
          null,
          { city: 'Oslo', zip: 150 },
          { city: 'Rome', zip: 100 },
          { city: 'Bern', zip: 3000 },
        ],
        new Struct([new Field('city', new Utf8(), true), new Field('zip', new Int32(), true)]),
      ),
      points: primitive(new Uint64(), BigUint64Array.from([0n, 18446744073709551615n, 7n, 8n, 9n, 10n])),
      signup_ms: primitive(
        new DateMillisecond(),
        BigInt64Array.from([86_400_000n, 0n, -86_400_000n, 1_714_521_600_000n, 0n, 0n]),
      ),
    },
    { external_id: new Map([['ARROW:extension:name', 'arrow.uuid']]) },
  );
}

/** What `goldCustomers()` must look like as JSON (int64 as exact numbers: compared on the raw text). */
export const GOLD_JSON_ROW0 =
  '{"customer_id":1,"email_address":"a@x.io","balance":123.45,"updated_at":"2024-05-01T10:00:00.123456Z","local_at":"2024-05-01T10:00:00.123456789","birthday":"1970-01-01","active":true,"score":1.5,"avatar":"AQID","external_id":"00010203-0405-0607-0809-0a0b0c0d0e0f","tags":["a","b"],"address":{"city":"Paris","zip":75001},"points":0,"signup_ms":"1970-01-02"}';
