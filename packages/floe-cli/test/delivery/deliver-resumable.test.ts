import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { tableFromArrays, type RecordBatch } from 'apache-arrow';
import type { Sink } from '@floe/core';
import { ledgerStatus, openStateStore, type KnexDeliveryLedger, type RunPlan } from '@floe/delivery';
import { destination, loadToDestination } from '@floe/ingestion-dlt';
import { deliverResumable } from '../../src/delivery/deliver-resumable.js';
import { describeRun } from '../../src/output/human-run-reporter.js';
import type { DestinationRunInput } from '../../src/delivery/plan-deliveries.js';
import type { DeliverOptions } from '../../src/egress/deliver.js';
import type { EgressEngine } from '../../src/egress/engine.js';
import type { PreparedDestination } from '../../src/egress/prepare-destination.js';

const ROWS = 10;

function source(): PreparedDestination {
  const table = tableFromArrays({ id: Int32Array.from({ length: ROWS }, (_, i) => i + 1) });
  return {
    planned: { name: 'crm', index: 0, sinkType: 'rest_api', sourceTable: 'gold.c', disposition: 'append' },
    source: {
      label: 'gold.c',
      schema: table.schema,
      snapshotId: '42',
      snapshotTimestamp: undefined,
      count: async () => ROWS,
      batches: async function* () {
        yield* table.batches as RecordBatch[];
      },
    },
    rows: ROWS,
    target: 'POST http://127.0.0.1/x',
  } as unknown as PreparedDestination;
}

/** An engine whose destination fails on the batch indexes in `failOn`, and records what it received. */
function engine(failOn: Set<number>, received: number[]): EgressEngine {
  const dest = destination<'rows'>(
    (rows, _table, context) => {
      if (failOn.has(context.index)) throw new Error(`batch ${context.index} refused`);
      received.push(...rows.map((row) => Number(row.id)));
    },
    { name: 'crm', batchSize: 4, loaderFileFormat: 'rows' },
  );
  return { write: (_sink, data, options) => loadToDestination(dest, data, options) } as EgressEngine;
}

describe('deliverResumable', () => {
  let dir: string;
  let store: KnexDeliveryLedger;
  const sink: Sink = { sinkType: 'rest_api', name: 'crm', close: async () => {} };
  const plan = (attemptId: string, runId = 'run-1', idempotent = true): RunPlan<DestinationRunInput> => ({
    input: {
      prepared: source(),
      destination: 'crm',
      sinkType: 'rest_api',
      target: 't',
      sourceTable: 'gold.c',
      snapshotId: '42',
      totalRows: ROWS,
      disposition: 'append',
      description: { identity: 'rest_api:t', batchSize: 4, idempotent },
    },
    ledger: store,
    ledgerKind: 'state-store',
    init: {
      runId,
      runKey: 'k'.repeat(64),
      attemptId,
      destination: 'crm',
      sinkType: 'rest_api',
      target: 't',
      sourceTable: 'gold.c',
      snapshotId: '42',
      batchSize: 4,
      disposition: 'append',
      totalRows: ROWS,
    },
    resumes: undefined,
  });
  const options = (eng: EgressEngine): DeliverOptions => ({
    engine: eng,
    signal: new AbortController().signal,
    tracer: trace.getTracer('test'),
    onProgress: () => undefined,
    now: () => new Date('2025-01-02T03:04:05Z'),
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'floe-resumable-'));
    store = openStateStore(join(dir, 'state.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says exactly what each attempt delivered and what the run holds in total', async () => {
    const received: number[] = [];
    const first = await deliverResumable(source(), plan('run-1'), sink, options(engine(new Set([1]), received)));
    expect(first.status).toBe('failed');
    expect(first.delivery).toMatchObject({
      runId: 'run-1',
      attempt: 1,
      resumed: false,
      resumedFromBatch: null,
      rowsDeliveredEarlier: 0,
      rowsDeliveredThisAttempt: 4,
      rowsDelivered: 4,
      batchesCommitted: 1,
      batchesTotal: 3,
      status: 'failed',
      ledgerKind: 'state-store',
    });

    const second = await deliverResumable(source(), plan('run-2'), sink, options(engine(new Set(), received)));
    expect(second.status).toBe('delivered');
    expect(second.guarantee).toBe('exactly-once');
    expect(second.delivery).toMatchObject({
      runId: 'run-1',
      attempt: 2,
      resumed: true,
      resumedFromBatch: 1,
      batchesSkipped: 1,
      batchesResent: 1,
      rowsDeliveredEarlier: 4,
      rowsDeliveredThisAttempt: 6,
      rowsDelivered: 10,
      batchesCommitted: 3,
      status: 'completed',
    });
    expect(received).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
  });

  it('counts the batches re-sent without an idempotency guarantee, in the summary and its line', async () => {
    const received: number[] = [];
    await deliverResumable(source(), plan('run-1', 'run-1', false), sink, options(engine(new Set([1]), received)));
    const second = await deliverResumable(
      source(),
      plan('run-2', 'run-1', false),
      sink,
      options(engine(new Set(), [])),
    );
    expect(second.delivery).toMatchObject({ batchesResent: 1, idempotent: false, batchesResentWithoutGuarantee: 1 });
    expect(describeRun(second.delivery!)).toMatch(
      /; 1 batch re-sent without an idempotency guarantee \(at least once: check the destination for duplicates\)$/,
    );
    // With a guarantee (the API honours Idempotency-Key) nothing is counted and the line says nothing.
    const third = await deliverResumable(source(), plan('run-3', 'run-3'), sink, options(engine(new Set([0]), [])));
    expect(third.delivery?.batchesResentWithoutGuarantee).toBe(0);
    expect(describeRun(third.delivery!)).not.toMatch(/re-sent/);
  });

  it('fails before sending anything when the ledger cannot begin the run, and delivers plainly without a plan', async () => {
    await store.close();
    const received: number[] = [];
    const failed = await deliverResumable(source(), plan('run-1'), sink, options(engine(new Set(), received)));
    expect(failed).toMatchObject({ status: 'failed', exitCode: 1, receipt: { success: false, rowsDelivered: 0 } });
    expect(failed.receipt?.errors[0]?.message).toMatch(
      /^cannot use the delivery ledger at sqlite:.*state\.db: .*is closed/,
    );
    const blocked = await deliverResumable(
      source(),
      { ...plan('run-1'), blocked: new Error('connect ECONNREFUSED 127.0.0.1:1') },
      sink,
      options(engine(new Set(), received)),
    );
    expect(blocked.receipt?.errors[0]).toMatchObject({ message: expect.stringMatching(/ECONNREFUSED/) });
    expect(received).toEqual([]);
    const plain = await deliverResumable(source(), undefined, sink, options(engine(new Set(), received)));
    expect(plain.status).toBe('delivered');
    expect(plain.delivery).toBeUndefined();
    expect(plain.guarantee).toBe('at-least-once');
  });

  it('maps delivery statuses to run statuses', () => {
    expect([
      ledgerStatus('delivered'),
      ledgerStatus('partial'),
      ledgerStatus('failed'),
      ledgerStatus('interrupted'),
    ]).toEqual(['completed', 'completed', 'failed', 'interrupted']);
  });
});
