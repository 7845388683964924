import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sink } from '@floe/core';
import { mirroredLedger, openStateStore, type DeliveryLedger, type KnexDeliveryLedger } from '@floe/ingestion-dlt';
import { planDelivery, type PlanDeliveryOptions } from '../../src/delivery/plan-delivery.js';
import type { EngineDelivery } from '../../src/egress/engine.js';
import type { PreparedDestination } from '../../src/egress/prepare-destination.js';

const sink: Sink = { sinkType: 'rest_api', name: 'crm', close: async () => {} };

function prepared(snapshotId: string | undefined, disposition = 'append'): PreparedDestination {
  return {
    planned: { name: 'crm', index: 0, sinkType: 'rest_api', sourceTable: 'gold.customers', disposition },
    source: { snapshotId },
    rows: 100,
    target: 'POST http://127.0.0.1/x',
  } as unknown as PreparedDestination;
}

describe('planDelivery', () => {
  let dir: string;
  let store: KnexDeliveryLedger;
  let config: string;
  let own: DeliveryLedger | undefined;
  const delivery: EngineDelivery = {
    openStateStore: () => store,
    describeRun: (_sink, parts) => ({ runKey: `key:${parts.snapshotId}:${config}`, batchSize: 10 }),
    sinkLedger: () => own,
    mirrored: mirroredLedger,
  };
  const options = (overrides: Partial<PlanDeliveryOptions> = {}): PlanDeliveryOptions => ({
    delivery,
    store: () => store,
    attemptId: 'attempt-2',
    restart: false,
    specName: 'floe.yaml',
    repin: async (snapshotId) => prepared(snapshotId),
    ...overrides,
  });
  /** Records an earlier run of `crm` with this status. */
  async function earlier(
    status: 'running' | 'failed' | 'completed',
    snapshotId = '1',
    key = `key:1:${config}`,
  ): Promise<void> {
    await store.begin({
      runId: 'attempt-1',
      runKey: key,
      attemptId: 'attempt-1',
      destination: 'crm',
      sinkType: 'rest_api',
      target: 't',
      sourceTable: 'gold.customers',
      snapshotId,
      batchSize: 10,
      disposition: 'append',
      totalRows: 100,
    });
    if (status !== 'running') await store.finish('attempt-1', status);
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'floe-plan-'));
    store = openStateStore(join(dir, 'state.db'));
    config = 'a';
    own = undefined;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts a new run named after this attempt when the destination has no run yet', async () => {
    const planning = await planDelivery(prepared('1'), sink, options());
    expect(planning).toMatchObject({
      ok: true,
      plan: {
        ledgerKind: 'state-store',
        resumes: undefined,
        init: {
          runId: 'attempt-2/crm',
          attemptId: 'attempt-2',
          runKey: 'key:1:a',
          snapshotId: '1',
          batchSize: 10,
          totalRows: 100,
        },
      },
    });
  });

  it('resumes the newest run when it is unfinished and has the same run key', async () => {
    await earlier('failed');
    const planning = await planDelivery(prepared('1'), sink, options());
    expect(planning).toMatchObject({
      ok: true,
      plan: { init: { runId: 'attempt-1', attemptId: 'attempt-2' }, resumes: { runId: 'attempt-1', status: 'failed' } },
    });
  });

  it('starts over after a completed run, with --restart, and always for replace', async () => {
    await earlier('running');
    expect(await planDelivery(prepared('1'), sink, options({ restart: true }))).toMatchObject({
      plan: { init: { runId: 'attempt-2/crm' } },
    });
    expect(await planDelivery(prepared('1', 'replace'), sink, options())).toMatchObject({
      plan: { init: { runId: 'attempt-2/crm' } },
    });
    await store.finish('attempt-1', 'completed');
    expect(await planDelivery(prepared('1'), sink, options())).toMatchObject({
      plan: { init: { runId: 'attempt-2/crm' }, resumes: undefined },
    });
  });

  it('finishes an unfinished run on the snapshot it started from when the table has moved on', async () => {
    await earlier('running', '1');
    const planning = await planDelivery(prepared('2'), sink, options());
    expect(planning).toMatchObject({
      ok: true,
      plan: {
        init: { runId: 'attempt-1', snapshotId: '1', runKey: 'key:1:a' },
        prepared: { source: { snapshotId: '1' } },
      },
    });
  });

  it('stops with exit 3 when the unfinished run cannot be made again, naming --restart', async () => {
    await earlier('failed');
    config = 'b'; // e.g. batch_size changed
    const changed = await planDelivery(prepared('1'), sink, options());
    expect(changed).toMatchObject({ ok: false, exitCode: 3 });
    expect(!changed.ok && changed.lines[0]).toMatch(
      /^floe\.yaml: destinations\[0\]: the newest run of "crm", attempt-1 \(failed, 0\/10 batches, 0 rows delivered\), is unfinished and was made with another configuration.*--restart/,
    );
    const expired = await planDelivery(
      prepared('2'),
      sink,
      options({ repin: async () => ['snapshot 1 is no longer in the table metadata'] }),
    );
    expect(!expired.ok && expired.lines[0]).toMatch(
      /its snapshot 1 cannot be read again: snapshot 1 is no longer in the table metadata; pass --restart/,
    );
  });

  it("uses the sink's own ledger, mirrored to the state store, when the sink keeps one", async () => {
    own = store;
    const planning = await planDelivery(prepared('1'), sink, options());
    expect(planning).toMatchObject({ ok: true, plan: { ledgerKind: 'destination' } });
  });

  it('plans a delivery that will fail before sending anything when the ledger cannot be read', async () => {
    await store.close();
    const planning = await planDelivery(prepared('1'), sink, options());
    expect(planning).toMatchObject({
      ok: true,
      plan: { blocked: expect.objectContaining({ message: expect.stringMatching(/is closed/) }) },
    });
  });
});
