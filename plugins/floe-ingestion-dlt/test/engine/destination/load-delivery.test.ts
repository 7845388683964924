import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexModule from 'knex';
import { Int32, Utf8, vectorFromArray, type Table } from 'apache-arrow';
import type { DeliveryLedger, LedgerRunInit } from '@floe/core';
import { KnexDeliveryLedger, deliveryRunKey, mirroredLedger, openStateStore } from '@floe/delivery';
import { destination, loadToDestination, type BatchContext, type Row } from '../../../src/index.js';
import { tableOf } from '../../helpers/arrow.js';

function numbers(n: number, offset = 0): Table {
  return tableOf({
    id: vectorFromArray(
      Array.from({ length: n }, (_, i) => i + 1 + offset),
      new Int32(),
    ),
    name: vectorFromArray(
      Array.from({ length: n }, (_, i) => `n${i + 1 + offset}`),
      new Utf8(),
    ),
  });
}

const runKey = deliveryRunKey({
  destination: 'd',
  identity: 'test:d',
  sourceTable: 't',
  snapshotId: '1',
  batchSize: 10,
  disposition: 'append',
});

function init(attemptId: string): LedgerRunInit {
  return {
    runId: 'run-1',
    runKey,
    attemptId,
    destination: 'd',
    sinkType: 'destination',
    target: 'memory',
    sourceTable: 't',
    snapshotId: '1',
    batchSize: 10,
    disposition: 'append',
    totalRows: 45,
  };
}

interface Call {
  readonly index: number;
  readonly key: string;
  readonly ids: number[];
}

/** A destination that records each call and fails (throws) on the calls listed in `failOn` (by index). */
function recorder(
  options: {
    failOn?: Set<number>;
    parallel?: number;
    ledger?: DeliveryLedger;
    onBatch?: (context: BatchContext, rows: Row[]) => unknown;
  } = {},
) {
  const calls: Call[] = [];
  const dest = destination<'rows'>(
    async (rows, _table, context) => {
      await new Promise((resolve) => setTimeout(resolve, (context.index % 3) * 3));
      if (options.failOn?.has(context.index)) throw new Error(`batch ${context.index} failed`);
      calls.push({ index: context.index, key: context.idempotencyKey, ids: rows.map((row) => Number(row.id)) });
      return options.onBatch?.(context, rows) as undefined;
    },
    {
      name: 'd',
      identity: 'test:d',
      batchSize: 10,
      loaderFileFormat: 'rows',
      maxParallelLoadJobs: options.parallel ?? 1,
      ...(options.ledger && { ledger: options.ledger }),
    },
  );
  return { dest, calls };
}

describe('loadToDestination with a delivery ledger', () => {
  let dir: string;
  let store: KnexDeliveryLedger;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'floe-delivery-'));
    store = openStateStore(join(dir, 'state.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes after the committed batches and re-sends the failed one with the same idempotency key', async () => {
    const first = recorder({ failOn: new Set([2]) });
    const receipt1 = await loadToDestination(first.dest, numbers(45), {
      delivery: { ledger: store, state: await store.begin(init('a1')) },
    });
    expect(receipt1.status).toBe('failed');
    expect(receipt1.rowsDelivered).toBe(20);
    expect((await store.finish('run-1', 'failed'))?.rowsDelivered).toBe(20);
    const state = await store.begin(init('a2'));
    expect([...state.committed.keys()]).toEqual([0, 1]);
    expect([...state.intended.keys()]).toEqual([2]);
    const intendedKey = state.intended.get(2)?.idempotencyKey;

    const second = recorder();
    const receipt2 = await loadToDestination(second.dest, numbers(45), { delivery: { ledger: store, state } });
    expect(receipt2.status).toBe('delivered');
    expect(receipt2.rowsDelivered).toBe(25);
    expect(second.calls.map((call) => call.index)).toEqual([2, 3, 4]);
    expect(second.calls[0]?.key).toBe(intendedKey);
    expect(second.calls.flatMap((call) => call.ids)).toEqual(Array.from({ length: 25 }, (_, i) => 21 + i));
    const run = await store.finish('run-1', 'completed');
    expect(run).toMatchObject({ status: 'completed', batchesCommitted: 5, batchesTotal: 5, rowsDelivered: 45 });
    // Keys derive from the run key: an uninterrupted run sends every batch with the same key, and its receipt key is the same.
    const whole = recorder();
    const fresh = openStateStore(join(dir, 'other.db'));
    const receipt3 = await loadToDestination(whole.dest, numbers(45), {
      delivery: { ledger: fresh, state: await fresh.begin(init('b1')) },
    });
    await fresh.close();
    expect(receipt3.idempotencyKey).toBe(receipt2.idempotencyKey);
    expect(whole.calls.map((call) => call.key)).toEqual([...first.calls, ...second.calls].map((call) => call.key));
  });

  it('skips exactly the committed batches when parallel batches left gaps', async () => {
    const first = recorder({ failOn: new Set([1]), parallel: 3 });
    await loadToDestination(first.dest, numbers(45), {
      delivery: { ledger: store, state: await store.begin(init('a1')) },
    });
    const state = await store.begin(init('a2'));
    const committed = [...state.committed.keys()].sort();
    expect(committed).toContain(0);
    expect(committed).not.toContain(1);
    const second = recorder({ parallel: 3 });
    const receipt = await loadToDestination(second.dest, numbers(45), { delivery: { ledger: store, state } });
    expect(receipt.status).toBe('delivered');
    const sent = [...first.calls, ...second.calls].flatMap((call) => call.ids).sort((a, b) => a - b);
    expect(sent).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(second.calls.map((call) => call.index).sort()).toEqual(
      [0, 1, 2, 3, 4].filter((i) => !committed.includes(i)),
    );
  });

  it('stops before sending anything when the source no longer reads the same', async () => {
    const first = recorder({ failOn: new Set([3]) });
    await loadToDestination(first.dest, numbers(45), {
      delivery: { ledger: store, state: await store.begin(init('a1')) },
    });
    const second = recorder();
    const state = await store.begin(init('a2'));
    await expect(
      loadToDestination(second.dest, numbers(45, 1000), { delivery: { ledger: store, state } }),
    ).rejects.toMatchObject({
      code: 'LEDGER_SOURCE_MISMATCH',
      category: 'CONFIGURATION',
    });
    expect(second.calls).toEqual([]);
  });

  it('fails the load, still counting the batch, when the committed record cannot be written', async () => {
    const broken: DeliveryLedger = {
      location: store.location,
      inTransaction: false,
      latestRun: (d) => store.latestRun(d),
      begin: (i) => store.begin(i),
      markIntended: (r, b) => store.markIntended(r, b),
      markCommitted: async () => {
        throw new Error('disk full');
      },
      discardBatches: (r) => store.discardBatches(r),
      finish: (r, s) => store.finish(r, s),
      listRuns: (f) => store.listRuns(f),
      close: async () => undefined,
    };
    const { dest, calls } = recorder();
    const receipt = await loadToDestination(dest, numbers(45), {
      delivery: { ledger: broken, state: await broken.begin(init('a1')) },
    });
    expect(receipt.status).toBe('failed');
    expect(calls).toHaveLength(1);
    expect(receipt.rowsDelivered).toBe(10);
    expect(receipt.errors[0]).toMatchObject({ message: 'disk full', batch: 0 });
  });

  it('hands each batch its ledger entry when the destination keeps the ledger in its transactions, and counts resumed parts once', async () => {
    const knex = knexModule.knex({
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'dest.db') },
      useNullAsDefault: true,
    });
    const own = new KnexDeliveryLedger({ knex, location: 'dest.db', inTransaction: true });
    const mirror = openStateStore(join(dir, 'mirror.db'));
    const ledger = mirroredLedger(own, mirror);
    try {
      const entries: unknown[] = [];
      const first = recorder({
        failOn: new Set([3]),
        ledger: own,
        onBatch: async (context) => {
          entries.push(context.ledger);
          const ledgerEntry = context.ledger;
          if (ledgerEntry === undefined) throw new Error('no ledger entry');
          // Batch 2 is written in two transactions; the run stops after the first (6 of 10 rows).
          const state = context.index === 2 ? 'partial' : 'committed';
          const done = context.index === 2 ? 6 : context.rowCount;
          await own.recordQuery(
            ledgerEntry,
            { state, rowsDone: done, rowsDelivered: done, rowsRejected: 0 },
            'replace',
          );
          if (context.index === 2) throw new Error('connection lost between the two transactions');
        },
      });
      const receipt1 = await loadToDestination(first.dest, numbers(45), {
        delivery: { ledger, state: await ledger.begin(init('a1')) },
      });
      expect(receipt1.rowsDelivered).toBe(20);
      expect(entries[0]).toMatchObject({
        runId: 'run-1',
        runKey,
        batchIndex: 0,
        firstRow: 0,
        rowCount: 10,
        snapshotId: '1',
        rowsDone: 0,
        rowsDeliveredEarlier: 0,
      });
      // The engine itself wrote nothing for an in-transaction ledger; the mirror has the committed batches.
      expect((await mirror.listRuns())[0]).toMatchObject({ batchesCommitted: 2, rowsDelivered: 20 });

      const state = await ledger.begin(init('a2'));
      expect(state.partial.get(2)).toMatchObject({ rowsDone: 6, rowsDelivered: 6 });
      const resumed: unknown[] = [];
      const second = recorder({
        ledger: own,
        onBatch: async (context) => {
          resumed.push(context.ledger);
          const entry = context.ledger;
          if (entry === undefined) throw new Error('no ledger entry');
          await own.recordQuery(
            entry,
            { state: 'committed', rowsDone: context.rowCount, rowsDelivered: context.rowCount, rowsRejected: 0 },
            'replace',
          );
          return { handledEarlier: entry.rowsDeliveredEarlier };
        },
      });
      const receipt2 = await loadToDestination(second.dest, numbers(45), { delivery: { ledger, state } });
      expect(resumed[0]).toMatchObject({ batchIndex: 2, rowsDone: 6, rowsDeliveredEarlier: 6 });
      expect(receipt2.rowsDelivered).toBe(25 - 6);
      expect(await ledger.finish('run-1', 'completed')).toMatchObject({ batchesCommitted: 5, rowsDelivered: 45 });
      expect((await mirror.listRuns())[0]).toMatchObject({ status: 'completed', batchesCommitted: 5 });
    } finally {
      await ledger.close();
      await mirror.close();
      await knex.destroy();
    }
  });

  it('forgets the batch records when the rollback undid every batch (replace)', async () => {
    let calls = 0;
    const dest = destination<'rows'>(
      () => {
        calls += 1;
        if (calls === 3) throw new Error('lost the staging table');
      },
      {
        name: 'd',
        identity: 'test:d',
        batchSize: 10,
        loaderFileFormat: 'rows',
        hooks: { rollback: async () => ({ discarded: 'all' as const }) },
      },
    );
    const receipt = await loadToDestination(dest, numbers(45), {
      delivery: { ledger: store, state: await store.begin(init('a1')) },
    });
    expect(receipt.rowsDelivered).toBe(0);
    expect(await store.finish('run-1', 'failed')).toMatchObject({
      status: 'failed',
      batchesCommitted: 0,
      rowsDelivered: 0,
    });
  });

  it('refuses an outcome that claims more earlier rows than the batch holds', async () => {
    const { dest } = recorder({ onBatch: () => ({ handledEarlier: 11 }) });
    const receipt = await loadToDestination(dest, numbers(5));
    expect(receipt.status).toBe('failed');
    expect(receipt.errors[0]?.message).toMatch(/handledEarlier 11 is outside 0..5/);
  });
});

describe('mirroredLedger', () => {
  it('never fails a delivery because the mirror fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floe-mirror-'));
    const primary = openStateStore(join(dir, 'p.db'));
    const failing = openStateStore(join(dir, 'm.db'));
    await failing.close();
    const ledger = mirroredLedger(primary, failing);
    try {
      const state = await ledger.begin(init('a1'));
      const { dest } = recorder();
      const receipt = await loadToDestination(dest, numbers(45), { delivery: { ledger, state } });
      expect(receipt.status).toBe('delivered');
      expect(await ledger.finish('run-1', 'completed')).toMatchObject({ rowsDelivered: 45 });
      expect(await ledger.latestRun('d')).toMatchObject({ runId: 'run-1' });
      expect(await ledger.listRuns()).toHaveLength(1);
    } finally {
      await ledger.close();
      await primary.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
