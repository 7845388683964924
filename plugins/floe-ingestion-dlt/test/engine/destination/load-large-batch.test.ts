import { describe, it, expect } from '@jest/globals';
import { Int32, vectorFromArray } from 'apache-arrow';
import { destination, loadToDestination } from '../../../src/index.js';
import { tableOf } from '../../helpers/arrow.js';

describe('loadToDestination with one large batch', () => {
  it('keeps every record id (maxRecordIdsInReceipt: Infinity) and rejection when a batch holds 200,000 rows', async () => {
    const n = 200_000;
    const table = tableOf({
      id: vectorFromArray(
        Array.from({ length: n }, (_, i) => i),
        new Int32(),
      ),
    });
    const sink = destination(
      (batch) => {
        const ids: string[] = [];
        for (let i = 1; i < batch.numRows; i++) ids.push(`r${i}`);
        return { recordIds: ids, rejected: [{ index: 0, message: 'first row refused' }] };
      },
      { name: 'large', batchSize: 0 },
    );
    const receipt = await loadToDestination(sink, table, { maxRecordIdsInReceipt: Infinity });
    expect(receipt.rowsDelivered).toBe(n - 1);
    expect(receipt.destinationRecordIds).toHaveLength(n - 1);
    expect(receipt.destinationRecordIds.at(-1)).toBe(`r${n - 1}`);
    expect(receipt.errors).toEqual([expect.objectContaining({ row: 0, message: 'first row refused' })]);
  });
});
