import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EgressResult, EMPTY_CHECKSUM, type DeliveryState, type LedgerBatch } from '@floe/core';
import {
  DeliveryTracker,
  StateStoreHandle,
  batchIdempotencyKey,
  isDeliveryError,
  ledgerStatus,
  mirroredLedger,
  planRun,
  runDelivery,
  type RunInput,
  type RunPlan,
} from '../src/index.js';

const ROWS = 10;
const SIZE = 4;

function input(): RunInput {
  return {
    destination: 'crm',
    sinkType: 'jsonl',
    target: 'file /tmp/x',
    sourceTable: 'gold.c',
    snapshotId: '7',
    totalRows: ROWS,
    disposition: 'append',
    description: { identity: 'jsonl:/tmp/x', batchSize: SIZE, idempotent: false },
  };
}

const receipt = (rows: number, success = true) =>
  new EgressResult({
    success,
    rowsDelivered: rows,
    bytesTransmitted: 0,
    durationSeconds: 0,
    checksum: EMPTY_CHECKSUM,
    deliveryTimestamp: new Date(),
    idempotencyKey: 'k',
    ...(!success && { errors: [{ message: 'refused', category: 'TRANSIENT' as const }] }),
  });

/**
 * A connector's write through the tracker: sends batches of SIZE rows, fails on `failAt` (after marking it
 * intended), and records what it sent.
 */
async function write(delivery: DeliveryState, sent: number[], failAt?: number) {
  const tracker = new DeliveryTracker(delivery, { destination: 'crm' });
  let delivered = 0;
  for (let index = 0; index * SIZE < ROWS; index += 1) {
    const batch: LedgerBatch = {
      batchIndex: index,
      firstRow: index * SIZE,
      rowCount: Math.min(SIZE, ROWS - index * SIZE),
      idempotencyKey: tracker.keyOf(index),
    };
    if (tracker.decide(batch).skip) continue;
    await tracker.intended(batch);
    if (index === failAt) return { status: 'failed' as const, receipt: receipt(delivered, false) };
    for (let row = batch.firstRow; row < batch.firstRow + batch.rowCount; row += 1) sent.push(row);
    await tracker.committed(batch, { rowsDelivered: batch.rowCount, rowsRejected: 0 });
    delivered += batch.rowCount;
  }
  return { status: 'delivered' as const, receipt: receipt(delivered) };
}

describe('runDelivery with DeliveryTracker', () => {
  let dir: string;
  let store: StateStoreHandle;
  const plan = async (attemptId: string): Promise<RunPlan> => {
    const planning = await planRun(input(), {
      stateStore: () => store.get(),
      attemptId,
      restart: false,
      repin: async () => ({ problems: ['pinned'] }),
    });
    if (!planning.ok) throw new Error(planning.reason);
    return planning.plan;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'floe-run-delivery-'));
    store = new StateStoreHandle(`sqlite:${join(dir, 'state.db')}`);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes after a failed attempt: committed batches skipped, the intended one re-sent, every row once', async () => {
    const sent: number[] = [];
    const first = await runDelivery(await plan('a1'), (delivery) => write(delivery, sent, 1));
    expect(first).toMatchObject({
      began: true,
      summary: { attempt: 1, resumed: false, rowsDelivered: 4, batchesCommitted: 1, batchesTotal: 3, status: 'failed' },
    });
    const second = await runDelivery(await plan('a2'), (delivery) => write(delivery, sent));
    expect(second).toMatchObject({
      began: true,
      summary: {
        runId: 'a1/crm',
        attempt: 2,
        resumed: true,
        resumedFromBatch: 1,
        batchesSkipped: 1,
        batchesResent: 1,
        // The connector said a re-sent batch may be applied twice.
        idempotent: false,
        rowsDeliveredEarlier: 4,
        rowsDeliveredThisAttempt: 6,
        rowsDelivered: 10,
        status: 'completed',
      },
    });
    expect(sent).toEqual(Array.from({ length: ROWS }, (_, i) => i));
  });

  it('does not begin when the plan is blocked or the ledger is closed', async () => {
    const blocked = await runDelivery({ ...(await plan('a1')), blocked: new Error('unreachable') }, async () => {
      throw new Error('must not write');
    });
    expect(blocked).toMatchObject({ began: false, error: expect.objectContaining({ message: 'unreachable' }) });
    const planned = await plan('a1');
    await store.close();
    const closed = await runDelivery(planned, async () => {
      throw new Error('must not write');
    });
    expect(closed.began).toBe(false);
    expect(!closed.began && isDeliveryError(closed.error) && closed.error.code).toBe('LEDGER_CLOSED');
  });

  it('stops a resumed write whose batch no longer reads the same rows (LEDGER_SOURCE_MISMATCH)', async () => {
    await runDelivery(await plan('a1'), (delivery) => write(delivery, [], 1));
    const planned = await plan('a2');
    const outcome = await runDelivery(planned, async (delivery) => {
      const tracker = new DeliveryTracker(delivery, { destination: 'crm' });
      try {
        tracker.decide({ batchIndex: 0, firstRow: 0, rowCount: 3, idempotencyKey: tracker.keyOf(0) });
      } catch (error) {
        expect(isDeliveryError(error) && error.code).toBe('LEDGER_SOURCE_MISMATCH');
        expect((error as Error).message).toMatch(/batch 0 of run a1\/crm is not the batch an earlier attempt recorded/);
        return { status: 'failed' as const, receipt: undefined };
      }
      throw new Error('expected a mismatch');
    });
    expect(outcome).toMatchObject({ began: true, summary: { status: 'failed' } });
  });

  it('writes to a mirror on a best-effort basis and reads from the primary', async () => {
    const primary = store.get();
    const broken = new StateStoreHandle(`sqlite:${join(dir, 'mirror.db')}`);
    const mirror = broken.get();
    await broken.close(); // every mirror call now fails
    const ledger = mirroredLedger(primary, mirror);
    const { init } = await plan('m1');
    const state = await ledger.begin(init);
    const tracker = new DeliveryTracker({ ledger, state });
    const batch = { batchIndex: 0, firstRow: 0, rowCount: 4, idempotencyKey: tracker.keyOf(0) };
    await tracker.intended(batch);
    await tracker.committed(batch, { rowsDelivered: 4, rowsRejected: 0 });
    expect(await ledger.finish(init.runId, 'completed')).toMatchObject({ rowsDelivered: 4, status: 'completed' });
    expect((await ledger.listRuns({ destination: 'crm' }))[0]?.runId).toBe(init.runId);
    expect(await ledger.latestRun('crm')).toMatchObject({ runId: init.runId });
  });
});

describe('ledgerStatus and batchIdempotencyKey', () => {
  it('maps attempt statuses to run statuses, and keys are stable per run and batch', () => {
    expect(['delivered', 'partial', 'failed', 'interrupted'].map((s) => ledgerStatus(s as never))).toEqual([
      'completed',
      'completed',
      'failed',
      'interrupted',
    ]);
    expect(batchIdempotencyKey('run', 1)).toBe(batchIdempotencyKey('run', 1));
    expect(batchIdempotencyKey('run', 1)).not.toBe(batchIdempotencyKey('run', 2));
    expect(batchIdempotencyKey('run', 1, 'digest')).not.toBe(batchIdempotencyKey('run', 1));
    expect(batchIdempotencyKey('run', 1)).toMatch(/^[0-9a-f]{64}$/);
  });
});
