import { describe, it, expect } from '@jest/globals';
import type { RecordBatch } from 'apache-arrow';
import {
  Dictionary,
  Field,
  FixedSizeList,
  Int32,
  LargeUtf8,
  List,
  Map_,
  Struct,
  Utf8,
  vectorFromArray,
  Bool,
  DenseUnion,
  Float64,
  makeData,
} from 'apache-arrow';
import { encodeJsonRows } from '../../src/engine/encoding/index.js';
import { concatBatches, rechunk } from '../../src/internal/arrow/rechunk.js';
import { concatData } from '../../src/internal/arrow/concat-data.js';
import { digestBatch } from '../../src/internal/arrow/digest-batch.js';
import { canonicalBits } from '../../src/internal/arrow/bits.js';
import { splitTable, tableOf } from '../helpers/arrow.js';
import { goldCustomers } from '../helpers/fixtures.js';

async function* stream(batches: readonly RecordBatch[]): AsyncGenerator<RecordBatch> {
  yield* batches;
}

async function collect(batches: AsyncIterable<RecordBatch>): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

function json(batches: readonly RecordBatch[]): string[] {
  return batches.flatMap((batch) => encodeJsonRows(batch));
}

describe('rechunk', () => {
  it('cuts exact batch sizes across input batches without changing a value', async () => {
    const table = goldCustomers();
    const pieces = splitTable(table, [1, 2, 5]);
    const out = await collect(rechunk(stream(pieces), 4));
    expect(out.map((batch) => batch.numRows)).toEqual([4, 2]);
    expect(json(out)).toEqual(encodeJsonRows(table.batches[0]!));
  });

  it('joins everything into one batch when the size is 0, skipping empty batches', async () => {
    const table = goldCustomers();
    const pieces = [table.batches[0]!.slice(0, 0), ...splitTable(table, [3])];
    const out = await collect(rechunk(stream(pieces), 0));
    expect(out.map((batch) => batch.numRows)).toEqual([6]);
    expect(json(out)).toEqual(encodeJsonRows(table.batches[0]!));
  });

  it('passes aligned batches through without copying', async () => {
    const pieces = splitTable(goldCustomers(), [3]);
    const out = await collect(rechunk(stream(pieces), 3));
    expect(out[0]).toBe(pieces[0]);
    expect(out[1]).toBe(pieces[1]);
  });
});

describe('concatData', () => {
  it('concatenates maps, fixed-size lists, large strings, bools with offsets and different dictionaries', () => {
    const entries = new Field(
      'entries',
      new Struct([new Field('key', new Utf8(), false), new Field('value', new Int32(), true)]),
      false,
    );
    const make = (words: string[], flags: (boolean | null)[]) =>
      tableOf({
        m: vectorFromArray(
          words.map((w) => new Map([[w, w.length]])),
          new Map_(entries),
        ),
        fl: vectorFromArray(
          words.map((w) => [w.length, 1]),
          new FixedSizeList(2, new Field('item', new Int32(), true)),
        ),
        ls: vectorFromArray(words, new LargeUtf8()),
        b: vectorFromArray(flags, new Bool()),
        d: vectorFromArray(words, new Dictionary(new Utf8(), new Int32())),
        l: vectorFromArray(
          words.map((w) => [w]),
          new List(new Field('item', new Utf8(), true)),
        ),
      }).batches[0]!;
    const a = make(['x', 'yy', 'zzz'], [true, null, false]).slice(1);
    const b = make(['p', 'qq'], [null, true]);
    const joined = concatBatches([a, b]);
    expect(joined.numRows).toBe(4);
    expect(encodeJsonRows(joined)).toEqual([...encodeJsonRows(a), ...encodeJsonRows(b)]);
    expect(digestBatch(joined)).toBe(digestBatch(concatBatches([a.slice(0, 1), a.slice(1), b])));
  });

  it('refuses union columns and empty input', () => {
    const union = new DenseUnion([0, 1], [new Field('i', new Int32()), new Field('f', new Float64())]);
    const data = makeData({
      type: union,
      length: 1,
      nullCount: 0,
      typeIds: Int8Array.of(0),
      valueOffsets: Int32Array.of(0),
      children: [
        makeData({ type: new Int32(), length: 1, nullCount: 0, data: Int32Array.of(1) }),
        makeData({ type: new Float64(), length: 0, nullCount: 0, data: new Float64Array(0) }),
      ],
    });
    expect(() => concatData([data, data])).toThrow(/cannot re-chunk/);
    expect(() => concatData([])).toThrow(RangeError);
  });
});

describe('digestBatch', () => {
  it('is the same however the rows were chunked, and differs when a value differs', () => {
    const table = goldCustomers();
    const whole = digestBatch(table.batches[0]!);
    expect(digestBatch(concatBatches(splitTable(table, [1, 4])))).toBe(whole);
    const other = tableOf({ a: vectorFromArray([1, 2], new Int32()) });
    const changed = tableOf({ a: vectorFromArray([1, 3], new Int32()) });
    expect(digestBatch(other.batches[0]!)).not.toBe(digestBatch(changed.batches[0]!));
  });
});

describe('canonicalBits', () => {
  it('re-bases bits from any offset and clears trailing bits', () => {
    expect(Array.from(canonicalBits(Uint8Array.of(0b11111111, 0b1), 0, 3))).toEqual([0b111]);
    expect(Array.from(canonicalBits(Uint8Array.of(0b10100000, 0b1), 5, 4))).toEqual([0b1101]);
  });
});
