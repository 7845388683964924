import { describe, it, expect } from '@jest/globals';
import {
  Binary,
  Bool,
  DateDay,
  Dictionary,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Null,
  TimeMicrosecond,
  TimestampMicrosecond,
  TimestampNanosecond,
  Utf8,
  makeData,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';
import { columnKind, type ColumnKind } from '../../../src/sinks/sql/column-kind.js';
import { binaryCopyEncoder } from '../../../src/sinks/sql/encode/copy-binary-encoder.js';
import type { EncodedColumn } from '../../../src/sinks/sql/encode/copy-text-encoder.js';
import { fixed } from './support/arrow-fixtures.js';

function kindOf(type: DataType): ColumnKind {
  return columnKind(type) as ColumnKind;
}

const WIDE = new Set(['Int64', 'Timestamp', 'Time64']);

function column(values: readonly unknown[], type: DataType): EncodedColumn {
  const vector = WIDE.has(String(type).replace(/[<(].*$/, ''))
    ? fixed(type, values as (bigint | null)[], (n) => new BigInt64Array(n))
    : vectorFromArray(values as unknown[], type);
  return { data: vector.data[0] as Data, kind: kindOf(type) };
}

const N = 300;
const pick = <T>(i: number, value: T, every = 7): T | null => (i % every === 3 ? null : value);
const long = (i: number): string => `row ${i} ${'ü'.repeat(i % 40)} — a value long enough to be copied natively`;

/** Every column kind the column-wise encoder plans, with nulls, to the target types that select each path. */
function columns(): { columns: EncodedColumn[]; types: string[] } {
  const us = (i: number): bigint => 1_700_000_000_000_000n + BigInt(i) * 1_000_003n;
  const specs: [readonly unknown[], DataType, string][] = [
    [Array.from({ length: N }, (_, i) => pick(i, BigInt(i) * 1_000_000_007n - 5n)), new Int64(), 'bigint'],
    [Array.from({ length: N }, (_, i) => pick(i, i - 150)), new Int32(), 'integer'],
    [Array.from({ length: N }, (_, i) => pick(i, i - 150)), new Int32(), 'bigint'], // widened: the cell writer
    [Array.from({ length: N }, (_, i) => pick(i, i)), new Int16(), 'smallint'],
    [Array.from({ length: N }, (_, i) => pick(i, i / 7)), new Float64(), 'double precision'],
    [Array.from({ length: N }, (_, i) => pick(i, i / 4)), new Float32(), 'real'],
    [Array.from({ length: N }, (_, i) => pick(i, i / 4)), new Float32(), 'double precision'], // widened
    [Array.from({ length: N }, (_, i) => pick(i, i % 3 === 0)), new Bool(), 'boolean'],
    [Array.from({ length: N }, (_, i) => i % 2 === 0), new Bool(), 'boolean'], // no nulls
    [Array.from({ length: N }, (_, i) => pick(i, i % 5 === 0 ? '' : i % 2 ? `s${i}` : long(i))), new Utf8(), 'text'],
    [Array.from({ length: N }, (_, i) => `c${i}`), new Utf8(), 'character varying(10)'], // no nulls
    [
      Array.from({ length: N }, (_, i) =>
        pick(
          i,
          Uint8Array.from({ length: i % 50 }, (_, k) => k),
        ),
      ),
      new Binary(),
      'bytea',
    ],
    [Array.from({ length: N }, (_, i) => pick(i, i * 86_400_000)), new DateDay(), 'date'],
    [Array.from({ length: N }, (_, i) => pick(i, us(i))), new TimestampMicrosecond('UTC'), 'timestamp with time zone'],
    [
      Array.from({ length: N }, (_, i) => pick(i, us(i) * 1000n)),
      new TimestampNanosecond(),
      'timestamp without time zone',
    ],
    [
      Array.from({ length: N }, (_, i) => pick(i, BigInt(i) * 1_000_000n)),
      new TimeMicrosecond(),
      'time without time zone',
    ],
    [Array.from({ length: N }, () => null), new Null(), 'text'],
  ];
  return {
    columns: specs.map(([values, type]) =>
      type instanceof Null ? { data: makeData({ type, length: N }) as Data, kind: kindOf(type) } : column(values, type),
    ),
    types: specs.map(([, , target]) => target),
  };
}

function encode(
  cols: EncodedColumn[],
  types: string[],
  rows: ArrayLike<number>,
  layout: 'auto' | 'rows',
  chunkBytes?: number,
): Buffer {
  const encoder = binaryCopyEncoder(cols, types, layout);
  if (encoder === undefined) throw new Error('no binary encoder');
  return Buffer.concat([...encoder(rows, chunkBytes)]);
}

describe('PostgreSQL binary COPY, column by column', () => {
  it('writes exactly the bytes of the row-by-row encoder, for every planned column kind with nulls', () => {
    const { columns: cols, types } = columns();
    const all = Int32Array.from({ length: N }, (_, i) => i);
    const expected = encode(cols, types, all, 'rows');
    expect(encode(cols, types, all, 'auto').equals(expected)).toBe(true);
    // Chunks of any size join to the same stream; the trailer ends the last one.
    const encoder = binaryCopyEncoder(cols, types) as NonNullable<ReturnType<typeof binaryCopyEncoder>>;
    const chunks = [...encoder(all, 1000)];
    expect(chunks.length).toBeGreaterThan(5);
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
  });

  it('writes only the selected rows, in the given order', () => {
    const { columns: cols, types } = columns();
    const some = [299, 0, 3, 4, 150, 10];
    expect(encode(cols, types, some, 'auto').equals(encode(cols, types, some, 'rows'))).toBe(true);
    expect(encode(cols, types, [], 'auto').equals(encode(cols, types, [], 'rows'))).toBe(true);
  });

  it('reads sliced Arrow data (non-zero offsets in bitmaps and value offsets)', () => {
    const { columns: cols, types } = columns();
    const sliced = cols.map((c) => ({ ...c, data: c.data.slice(37, 163) }));
    expect(sliced[0]?.data.offset).toBe(37);
    const rows = Int32Array.from({ length: 163 }, (_, i) => i);
    expect(encode(sliced, types, rows, 'auto').equals(encode(sliced, types, rows, 'rows'))).toBe(true);
  });

  it('falls back to rows when a field size is not known up front (numeric, dictionaries), with the same bytes', () => {
    const dictionary = column(
      Array.from({ length: 20 }, (_, i) => pick(i, `v${i % 3}`)),
      new Dictionary(new Utf8(), new Int32()),
    );
    const numbers = column(
      Array.from({ length: 20 }, (_, i) => pick(i, i * 3)),
      new Int32(),
    );
    const rows = Int32Array.from({ length: 20 }, (_, i) => i);
    for (const [cols, types] of [
      [
        [dictionary, numbers],
        ['text', 'integer'],
      ],
      [[numbers], ['numeric(10,2)']],
    ] as const) {
      const auto = encode([...cols], [...types], rows, 'auto');
      expect(auto.equals(encode([...cols], [...types], rows, 'rows'))).toBe(true);
    }
  });
});
