import { describe, it, expect } from '@jest/globals';
import { Int32, vectorFromArray, type RecordBatch } from 'apache-arrow';
import { destination, loadToDestination } from '../../../src/index.js';
import { tableOf } from '../../helpers/arrow.js';

const table = tableOf({ id: vectorFromArray([1, 2, 3, 4, 5], new Int32()) });

describe('DestinationHooks.prepare', () => {
  it('prepares each batch in order while the one before it is still being written, and hands the result over', async () => {
    const events: string[] = [];
    let release: () => void = () => undefined;
    const dest = destination(
      async (batch, _table, context) => {
        events.push(`fn:${context.index}:${String(context.prepared)}`);
        if (context.index === 0) await new Promise<void>((resolve) => (release = resolve));
        events.push(`done:${context.index}`);
      },
      {
        batchSize: 2,
        hooks: {
          prepare: (batch: RecordBatch) => {
            events.push(`prepare:${batch.numRows}`);
            if (events.length === 3) setImmediate(() => release());
            return `p${events.filter((e) => e.startsWith('prepare')).length - 1}`;
          },
        },
      },
    );
    const receipt = await loadToDestination(dest, table);
    expect(receipt.rowsDelivered).toBe(5);
    expect(events).toEqual([
      'prepare:2',
      'fn:0:p0',
      'prepare:2',
      'done:0',
      'fn:1:p1',
      'done:1',
      'prepare:1',
      'fn:2:p2',
      'done:2',
    ]);
  });

  it('gives the function the batch unprepared when prepare throws', async () => {
    const seen: unknown[] = [];
    const dest = destination((_batch, _table, context) => void seen.push(context.prepared), {
      batchSize: 2,
      hooks: {
        prepare: () => {
          throw new Error('cannot prepare');
        },
      },
    });
    const receipt = await loadToDestination(dest, table);
    expect(receipt.success).toBe(true);
    expect(seen).toEqual([undefined, undefined, undefined]);
  });
});
