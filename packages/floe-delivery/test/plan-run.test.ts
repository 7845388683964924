import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeliveryLedger } from '@floe/core';
import {
  openStateStore,
  planRun,
  runKeyOf,
  type KnexDeliveryLedger,
  type PlanRunOptions,
  type RunInput,
} from '../src/index.js';

describe('planRun', () => {
  let dir: string;
  let store: KnexDeliveryLedger;
  let config: string;
  let own: DeliveryLedger | undefined;
  const input = (snapshotId: string | null, disposition = 'append'): RunInput => ({
    destination: 'crm',
    sinkType: 'rest_api',
    target: 'POST http://127.0.0.1/x',
    sourceTable: 'gold.customers',
    snapshotId,
    totalRows: 100,
    disposition,
    description: {
      identity: `rest_api:${config}`,
      batchSize: 10,
      idempotent: true,
      ...(own !== undefined && { ledger: own }),
    },
  });
  const keyOf = (snapshotId: string) => runKeyOf(input(snapshotId));
  /** Plans, then frees the plan's lease (these tests plan again in the same process without running). */
  const plan = async (target: RunInput, opts: PlanRunOptions<RunInput>) => {
    const planning = await planRun(target, opts);
    if (planning.ok) await planning.plan.lease?.release();
    return planning;
  };
  const options = (overrides: Partial<PlanRunOptions<RunInput>> = {}): PlanRunOptions<RunInput> => ({
    stateStore: () => store,
    attemptId: 'attempt-2',
    restart: false,
    repin: async (snapshotId) => input(snapshotId),
    ...overrides,
  });
  /** Records an earlier run of `crm` with this status. */
  async function earlier(
    status: 'running' | 'failed' | 'completed',
    snapshotId = '1',
    key = keyOf('1'),
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
    const planning = await plan(input('1'), options());
    expect(planning).toMatchObject({
      ok: true,
      plan: {
        ledgerKind: 'state-store',
        resumes: undefined,
        init: {
          runId: 'attempt-2/crm',
          attemptId: 'attempt-2',
          runKey: keyOf('1'),
          snapshotId: '1',
          batchSize: 10,
          totalRows: 100,
        },
      },
    });
  });

  it('resumes the newest run when it is unfinished and has the same run key', async () => {
    await earlier('failed');
    const planning = await plan(input('1'), options());
    expect(planning).toMatchObject({
      ok: true,
      plan: { init: { runId: 'attempt-1', attemptId: 'attempt-2' }, resumes: { runId: 'attempt-1', status: 'failed' } },
    });
  });

  it('starts over after a completed run, with --restart, and always for replace', async () => {
    await earlier('running');
    expect(await plan(input('1'), options({ restart: true }))).toMatchObject({
      plan: { init: { runId: 'attempt-2/crm' } },
    });
    expect(await plan(input('1', 'replace'), options())).toMatchObject({
      plan: { init: { runId: 'attempt-2/crm' } },
    });
    await store.finish('attempt-1', 'completed');
    expect(await plan(input('1'), options())).toMatchObject({
      plan: { init: { runId: 'attempt-2/crm' }, resumes: undefined },
    });
  });

  it('finishes an unfinished run on the snapshot it started from when the table has moved on', async () => {
    await earlier('running', '1');
    const planning = await plan(input('2'), options());
    expect(planning).toMatchObject({
      ok: true,
      plan: {
        init: { runId: 'attempt-1', snapshotId: '1', runKey: keyOf('1') },
        input: { snapshotId: '1' },
      },
    });
  });

  it('refuses when the unfinished run that delivered rows cannot be made again, naming what --restart does', async () => {
    await earlier('running');
    await store.markCommitted('attempt-1', {
      batchIndex: 0,
      firstRow: 0,
      rowCount: 10,
      idempotencyKey: 'k0',
      rowsDelivered: 10,
      rowsRejected: 0,
    });
    await store.finish('attempt-1', 'failed');
    config = 'b'; // e.g. batch_size changed
    const changed = await plan(input('1'), options());
    expect(changed).toMatchObject({ ok: false });
    expect(!changed.ok && changed.reason).toMatch(
      /^the newest run of "crm", attempt-1 \(failed, 1\/10 batches, 10 rows delivered\), is unfinished and was made with another configuration.*--restart/,
    );
    expect(!changed.ok && changed.reason).toContain(
      'pass --restart to start a new run instead: it delivers all 100 rows of the current snapshot from the first batch, and the 10 rows already delivered stay delivered (a destination that does not deduplicate them receives them twice)',
    );
    expect((await store.latestRun('crm'))?.status).toBe('failed');
    const expired = await plan(
      input('2'),
      options({ repin: async () => ({ problems: ['snapshot 1 is no longer in the table metadata'] }) }),
    );
    expect(!expired.ok && expired.reason).toMatch(
      /its snapshot 1 cannot be read again: snapshot 1 is no longer in the table metadata; pass --restart/,
    );
  });

  it('supersedes an unfinished run that delivered nothing when the configuration changed (no --restart), ending it as failed', async () => {
    await earlier('running'); // e.g. a wrong URL: every batch failed, nothing committed
    config = 'b'; // the URL fixed
    const planning = await plan(input('1'), options());
    expect(planning).toMatchObject({
      ok: true,
      plan: { resumes: undefined, supersedes: { runId: 'attempt-1' }, init: { runId: 'attempt-2/crm' } },
    });
    const runs = await store.listRuns({ destination: 'crm' });
    expect(runs.map((run) => [run.runId, run.status])).toEqual([['attempt-1', 'failed']]);
    expect(runs[0]?.finishedAt).not.toBeNull();
    // its snapshot gone, too: nothing to lose either
    const expired = await plan(
      input('2'),
      options({ repin: async () => ({ problems: ['snapshot 1 is no longer in the table metadata'] }) }),
    );
    expect(expired).toMatchObject({ ok: true, plan: { supersedes: { runId: 'attempt-1' } } });
  });

  it("uses the sink's own ledger, mirrored to the state store, when the sink keeps one", async () => {
    own = store;
    const planning = await plan(input('1'), options());
    expect(planning).toMatchObject({ ok: true, plan: { ledgerKind: 'destination' } });
  });

  it('plans a delivery that will fail before sending anything when the ledger cannot be read', async () => {
    await store.close();
    const planning = await plan(input('1'), options());
    expect(planning).toMatchObject({
      ok: true,
      plan: { blocked: expect.objectContaining({ message: expect.stringMatching(/is closed/) }) },
    });
  });

  it('refuses while another live process holds the lease of the destination, and waits up to waitMs', async () => {
    const other = openStateStore(join(dir, 'state.db'));
    try {
      const holder = await other.acquireLease(
        'shop/crm',
        { runId: 'run-x', pid: process.pid, host: 'h' },
        {
          timeoutMs: 60_000,
        },
      );
      expect(holder.acquired).toBe(true);
      const shop = { ...input('1'), product: 'shop' };
      const opts = options({ lease: { host: 'h', waitMs: 0 } });
      const refused = await planRun(shop, opts);
      expect(refused).toMatchObject({ ok: false, holder: { runId: 'run-x', host: 'h' } });
      expect(refused.ok ? '' : refused.reason).toMatch(
        /^destination crm is being delivered by run run-x \(pid \d+ on host h, heartbeat \d+ s ago\)$/,
      );
      // Another product's destination of the same name is not blocked.
      const mine = await planRun({ ...input('1'), product: 'other-shop' }, opts);
      expect(mine.ok).toBe(true);
      if (mine.ok) await mine.plan.lease?.release();
      // Waiting: the holder ends within waitMs.
      const waiting = planRun(shop, options({ lease: { host: 'h', waitMs: 10_000 } }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (holder.acquired) await holder.lease.release();
      const planned = await waiting;
      expect(planned.ok).toBe(true);
      if (planned.ok) {
        expect(planned.plan.lease?.key).toBe('shop/crm');
        await planned.plan.lease?.release();
      }
    } finally {
      await other.close();
    }
  });
});
