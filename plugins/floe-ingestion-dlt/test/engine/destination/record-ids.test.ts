import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { SinkConfig, isFloeError } from '@floe/core';
import { Int32, vectorFromArray, type Table } from 'apache-arrow';
import { captureSpans, type MemorySpans } from '@floe/test-harness';
import {
  ATTR_SINK_RECORD_IDS_TOTAL,
  ATTR_SINK_RECORD_IDS_TRUNCATED,
  DEFAULT_MAX_RECORD_IDS_IN_RECEIPT,
  DltIngestionPlugin,
  destination,
  loadToDestination,
  type RecordIdsBatch,
} from '../../../src/index.js';
import { RecordIdList } from '../../../src/engine/destination/record-ids.js';
import { tableOf } from '../../helpers/arrow.js';

function ids(n: number): Table {
  return tableOf({
    id: vectorFromArray(
      Array.from({ length: n }, (_, i) => i),
      new Int32(),
    ),
  });
}

/** A destination returning `r<row>` for every row but the ones it rejects. */
function echo(batchSize: number, reject: (row: number) => boolean = () => false) {
  return destination(
    (batch, _table, context) => {
      const recordIds: string[] = [];
      const rejected: { index: number; message: string }[] = [];
      for (let i = 0; i < batch.numRows; i++) {
        if (reject(context.firstRow + i)) rejected.push({ index: i, message: 'no' });
        else recordIds.push(`r${context.firstRow + i}`);
      }
      return { recordIds, rejected };
    },
    { name: 'echo', batchSize },
  );
}

describe('record ids in the receipt', () => {
  let spans: MemorySpans;
  beforeAll(() => {
    spans = captureSpans();
  });
  afterAll(async () => {
    await spans.shutdown();
  });
  beforeEach(() => spans.reset());

  it('keeps at most 10,000 ids by default — the first ones — and the load span says ids were left out', async () => {
    expect(DEFAULT_MAX_RECORD_IDS_IN_RECEIPT).toBe(10_000);
    const receipt = await loadToDestination(echo(4_000), ids(12_345));
    expect(receipt.rowsDelivered).toBe(12_345);
    expect(receipt.destinationRecordIds).toHaveLength(10_000);
    expect(receipt.destinationRecordIds[0]).toBe('r0');
    expect(receipt.destinationRecordIds.at(-1)).toBe('r9999');
    const [load] = spans.named('sink.load');
    expect(load?.attributes[ATTR_SINK_RECORD_IDS_TOTAL]).toBe(12_345);
    expect(load?.attributes[ATTR_SINK_RECORD_IDS_TRUNCATED]).toBe(true);
  });

  it('says nothing was left out when every id fits', async () => {
    const receipt = await loadToDestination(echo(2), ids(5), { maxRecordIdsInReceipt: 5 });
    expect(receipt.destinationRecordIds).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    const [load] = spans.named('sink.load');
    expect(load?.attributes[ATTR_SINK_RECORD_IDS_TOTAL]).toBe(5);
    expect(load?.attributes[ATTR_SINK_RECORD_IDS_TRUNCATED]).toBe(false);
  });

  it('streams every id to onRecordIds in batch order, whatever the cap, before onProgress', async () => {
    const events: string[] = [];
    const streamed: string[] = [];
    const batches: RecordIdsBatch[] = [];
    const receipt = await loadToDestination(
      destination<'arrow'>(
        async (batch, _table, context) => {
          await new Promise((resolve) => setTimeout(resolve, (3 - context.index) * 3)); // later batches finish first
          return { recordIds: Array.from({ length: batch.numRows }, (_, i) => `r${context.firstRow + i}`) };
        },
        { name: 'parallel', batchSize: 2, maxParallelLoadJobs: 3 },
      ),
      ids(7),
      {
        maxRecordIdsInReceipt: 3,
        onRecordIds: (list, batch) => {
          events.push(`ids:${batch.batchIndex}`);
          streamed.push(...list);
          batches.push(batch);
        },
        onProgress: (progress) => events.push(`progress:${progress.batchesCompleted}`),
      },
    );
    expect(streamed).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(batches).toEqual([
      { batchIndex: 0, firstRow: 0, rowCount: 2 },
      { batchIndex: 1, firstRow: 2, rowCount: 2 },
      { batchIndex: 2, firstRow: 4, rowCount: 2 },
      { batchIndex: 3, firstRow: 6, rowCount: 1 },
    ]);
    expect(events).toEqual([
      'ids:0',
      'progress:1',
      'ids:1',
      'progress:2',
      'ids:2',
      'progress:3',
      'ids:3',
      'progress:4',
    ]);
    expect(receipt.destinationRecordIds).toEqual(['r0', 'r1', 'r2']);
  });

  it('does not call onRecordIds for batches without ids and keeps none with a cap of 0', async () => {
    const calls: number[] = [];
    const receipt = await loadToDestination(
      echo(2, (row) => row < 2),
      ids(4),
      {
        maxRecordIdsInReceipt: 0,
        onRecordIds: (_list, batch) => calls.push(batch.batchIndex),
      },
    );
    expect(calls).toEqual([1]);
    expect(receipt.destinationRecordIds).toEqual([]);
    expect(receipt.rowsDelivered).toBe(2);
  });

  it('goes on when onRecordIds throws', async () => {
    const receipt = await loadToDestination(echo(2), ids(4), {
      onRecordIds: () => {
        throw new Error('disk full');
      },
    });
    expect(receipt.success).toBe(true);
    expect(receipt.destinationRecordIds).toEqual(['r0', 'r1', 'r2', 'r3']);
  });

  it('forgets the kept ids when a transactional rollback undoes the load', async () => {
    const streamed: string[] = [];
    const dest = destination(
      (batch, _table, context) => {
        if (context.index === 1) throw new Error('connection lost');
        return { recordIds: Array.from({ length: batch.numRows }, (_, i) => `r${context.firstRow + i}`) };
      },
      { name: 'tx', batchSize: 2, hooks: { rollback: async () => ({ discarded: 'all' as const }) } },
    );
    const receipt = await loadToDestination(dest, ids(4), { onRecordIds: (list) => streamed.push(...list) });
    expect(receipt.rowsDelivered).toBe(0);
    expect(receipt.destinationRecordIds).toEqual([]);
    expect(streamed).toEqual(['r0', 'r1']);
  });

  it.each([-1, 1.5, Number.NaN, '10' as unknown as number])(
    'refuses maxRecordIdsInReceipt %p before anything is sent',
    async (cap) => {
      let called = false;
      const dest = destination(() => {
        called = true;
      });
      const error: unknown = await loadToDestination(dest, ids(1), { maxRecordIdsInReceipt: cap }).catch(
        (thrown: unknown) => thrown,
      );
      expect(isFloeError(error)).toBe(true);
      expect((error as Error).message).toMatch(/maxRecordIdsInReceipt/);
      expect(called).toBe(false);
    },
  );

  it('passes the cap and the callback through DltIngestionPlugin.write', async () => {
    const plugin = new DltIngestionPlugin({
      sinkTypes: new Map([['echo', { descriptor: { sinkType: 'echo' }, create: () => echo(3) }]]),
    });
    await plugin.startup();
    try {
      const sink = await plugin.createSink(new SinkConfig({ sinkType: 'echo', name: 'echo' }));
      const streamed: string[] = [];
      const receipt = await plugin.write(sink, ids(5), {
        maxRecordIdsInReceipt: 2,
        onRecordIds: (list) => streamed.push(...list),
      });
      expect(receipt.destinationRecordIds).toEqual(['r0', 'r1']);
      expect(streamed).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    } finally {
      await plugin.shutdown();
    }
  });

  it('RecordIdList keeps the first ids up to its cap and counts them all', () => {
    const list = new RecordIdList(3);
    list.add(['a', 'b']);
    expect(list.truncated).toBe(false);
    list.add(['c', 'd', 'e']);
    expect(list.ids).toEqual(['a', 'b', 'c']);
    expect(list.total).toBe(5);
    expect(list.truncated).toBe(true);
    list.clear();
    expect([list.ids, list.total, list.truncated]).toEqual([[], 0, false]);
  });
});
