import { describe, expect, it } from '@jest/globals';
import { recordBatch } from './record-batch.js';
import {
  Bool,
  Decimal,
  Dictionary,
  Field,
  Int32,
  Int64,
  LargeUtf8,
  List,
  Struct,
  TimestampMicrosecond,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type Data,
  type Vector,
} from 'apache-arrow';
import { canonicalAt } from '../../src/sync/canonical-value.js';
import { takeRows } from '../../src/sync/take-rows.js';
import { rowFingerprints, syncDeltaOf } from '../../src/index.js';

function columns(): Record<string, Vector> {
  const point = new Struct([new Field('x', new Int32(), true), new Field('label', new Utf8(), true)]);
  return {
    id: vectorFromArray([1n, 2n, null, 9007199254740993n, 5n], new Int64()),
    flag: vectorFromArray([true, null, false, true, false], new Bool()),
    name: vectorFromArray(['a', null, '', 'ünï', 'e'], new Utf8()),
    big: vectorFromArray(['x', 'yy', null, 'zzz', ''], new LargeUtf8()),
    tags: vectorFromArray([[1, 2], null, [], [3], [null, 4]], new List(new Field('item', new Int32(), true))),
    point: vectorFromArray(
      [{ x: 1, label: 'p' }, null, { x: null, label: 'q' }, { x: 4, label: null }, { x: 5, label: 's' }],
      point,
    ),
    at: makeVector(
      makeData({
        type: new TimestampMicrosecond(),
        length: 5,
        nullCount: 0,
        data: new BigInt64Array([1n, 1_700_000_000_000_001n, -5n, 0n, 42n]),
      }),
    ),
    price: makeVector(
      makeData({
        type: new Decimal(2, 20, 128),
        length: 5,
        nullCount: 0,
        data: new Uint32Array([
          1, 0, 0, 0, 2, 0, 0, 0, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 4, 0, 0, 0, 5, 0, 0, 0,
        ]),
      }),
    ),
    tier: vectorFromArray(['gold', 'silver', 'gold', null, 'bronze'], new Dictionary(new Utf8(), new Int32())),
  };
}

describe('takeRows', () => {
  it.each([
    ['a whole batch', 0],
    ['a sliced batch (offset 1)', 1],
  ])('copies rows of every column type exactly, in any order with repeats (%s)', (_name, offset) => {
    const full = recordBatch(columns());
    const batch = offset === 0 ? full : full.slice(offset);
    const rows = offset === 0 ? [3, 0, 2, 2, 4, 1] : [2, 0, 1, 1, 3];
    for (const [index, field] of batch.schema.fields.entries()) {
      const data = batch.getChildAt(index)!.data[0] as Data;
      const taken = takeRows(data, rows);
      expect(taken.length).toBe(rows.length);
      expect({ field: field.name, values: rows.map((_, j) => canonicalAt(taken, j)) }).toEqual({
        field: field.name,
        values: rows.map((row) => canonicalAt(data, row)),
      });
      expect(taken.nullCount).toBe(rows.filter((row) => !data.getValid(row)).length);
    }
    // And Arrow reads the same values back.
    const point = batch.getChild('point')!;
    const pointTaken = makeVector(takeRows(point.data[0] as Data, rows));
    expect(rows.map((_, j) => pointTaken.get(j)?.toJSON() ?? null)).toEqual(
      rows.map((row) => point.get(row)?.toJSON() ?? null),
    );
  });

  it('keeps fingerprints of the taken rows equal to the source rows’', () => {
    const batch = recordBatch(columns());
    const names = batch.schema.fields.map((field) => field.name);
    const rows = [4, 1, 3];
    const taken = recordBatch(
      Object.fromEntries(
        names.map((name, index) => [name, makeVector(takeRows(batch.getChildAt(index)!.data[0] as Data, rows))]),
      ),
    );
    const source = rowFingerprints(batch, names);
    expect(rowFingerprints(taken, names)).toEqual(rows.map((row) => source[row]));
  });
});

describe('syncDeltaOf', () => {
  const batch = recordBatch({
    id: vectorFromArray([1, 2, 3], new Int32()),
    _floe_op: vectorFromArray(['upsert', 'delete', 'update'], new Utf8()),
    _floe_key: vectorFromArray(['1', '2', '3'], new Utf8()),
    _floe_fp: vectorFromArray(['00000000000000aa', null, '00000000000000cc'], new Utf8()),
    _floe_dest_id: vectorFromArray([null, 'crm-2', 'crm-3'], new Utf8()),
  });

  it('reads key, fingerprint (null for a delete) and destination id of the handled rows', () => {
    expect(syncDeltaOf(batch)).toEqual([
      { key: '1', fingerprint: '00000000000000aa' },
      { key: '2', fingerprint: null },
      { key: '3', fingerprint: '00000000000000cc', destinationId: 'crm-3' },
    ]);
    expect(syncDeltaOf(batch, [2, 0], new Map([[0, 'new-1']]))).toEqual([
      { key: '3', fingerprint: '00000000000000cc', destinationId: 'crm-3' },
      { key: '1', fingerprint: '00000000000000aa', destinationId: 'new-1' },
    ]);
  });

  it('refuses a batch that is not a change batch', () => {
    const plain = recordBatch({ id: vectorFromArray([1], new Int32()) });
    expect(() => syncDeltaOf(plain)).toThrow(/no _floe_op column/);
  });
});
