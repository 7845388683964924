import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { openStateStore } from '@floe/delivery';
import type { CliContext } from '../../src/context.js';
import { createDefaultEngine } from '../../src/egress/default-engine.js';
import { runCli } from '../../src/program.js';

describe('egress runs', () => {
  let dir: string;
  let out: string[];
  const ctx = (tty: boolean): CliContext => ({
    cwd: dir,
    env: {},
    stdout: { write: (text: string) => void out.push(text), isTTY: tty, columns: 200 },
    stderr: { write: () => undefined },
    secrets: { env: {}, readFile: () => undefined, listDir: () => undefined },
    createEngine: createDefaultEngine,
    signal: new AbortController().signal,
    now: () => new Date('2025-01-02T03:04:05Z'),
  });
  const init = (runId: string, destination: string) => ({
    runId,
    runKey: `k-${runId}`,
    attemptId: runId,
    destination,
    sinkType: 'rest_api',
    target: 'POST http://127.0.0.1/x',
    sourceTable: 'gold.c',
    snapshotId: '42',
    batchSize: 2,
    disposition: 'append',
    totalRows: 5,
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'floe-runs-'));
    out = [];
    writeFileSync(join(dir, 'floe.yaml'), 'not read by egress runs');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists nothing, and creates no state store, when none exists', async () => {
    expect(await runCli(['egress', 'runs'], ctx(true))).toBe(0);
    expect(out.join('')).toMatch(/^No delivery runs recorded in sqlite:.*\.floe\/state\.db\.\n$/);
    expect(existsSync(join(dir, '.floe'))).toBe(false);
  });

  it('lists runs newest first with status, batches, rows and attempts; a dead running attempt shows as interrupted', async () => {
    const store = openStateStore(join(dir, '.floe', 'state.db'));
    await store.begin(init('20250101T000000Z-aaaaaa', 'crm'));
    await store.markIntended('20250101T000000Z-aaaaaa', {
      batchIndex: 0,
      firstRow: 0,
      rowCount: 2,
      idempotencyKey: 'k0',
    });
    await store.markCommitted('20250101T000000Z-aaaaaa', {
      batchIndex: 0,
      firstRow: 0,
      rowCount: 2,
      idempotencyKey: 'k0',
      rowsDelivered: 2,
      rowsRejected: 0,
    });
    await store.finish('20250101T000000Z-aaaaaa', 'completed');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.close();
    // A run whose process died (a pid that does not exist on this host).
    const deadStore = openStateStore(join(dir, '.floe', 'state.db'), { host: hostname(), pid: 2 ** 22 + 54_321 });
    await deadStore.begin(init('20250101T000001Z-bbbbbb', 'dw'));
    await deadStore.close();
    mkdirSync(join(dir, '.floe', 'runs', '20250101T000000Z-aaaaaa'), { recursive: true });
    writeFileSync(join(dir, '.floe', 'runs', '20250101T000000Z-aaaaaa', 'crm.json'), '{}');

    expect(await runCli(['egress', 'runs'], ctx(true))).toBe(0);
    const text = out.join('');
    expect(text).toMatch(
      /run id\s+\| destination \| snapshot \| status\s+\| batches \| rows\s+\| attempts \| started\s+\| finished/,
    );
    const lines = text.split('\n');
    expect(lines[2]).toMatch(/^20250101T000001Z-bbbbbb \| dw\s+\| 42\s+\| interrupted \| 0\/3\s+\| 0\/5\s+\| 1/);
    expect(lines[3]).toMatch(/^20250101T000000Z-aaaaaa \| crm\s+\| 42\s+\| completed\s+\| 1\/3\s+\| 2\/5\s+\| 1/);
    expect(text).toMatch(/\(2 runs in sqlite:/);

    out = [];
    expect(await runCli(['egress', 'runs', '--destination', 'crm', '--json'], ctx(false))).toBe(0);
    const listed = JSON.parse(out.join('')) as { stateStore: string; runs: Record<string, unknown>[] };
    expect(listed.runs).toHaveLength(1);
    expect(listed.runs[0]).toMatchObject({
      runId: '20250101T000000Z-aaaaaa',
      status: 'completed',
      recordedStatus: 'completed',
      batchesCommitted: 1,
      batchesTotal: 3,
      rowsDelivered: 2,
      receipt: join(dir, '.floe', 'runs', '20250101T000000Z-aaaaaa', 'crm.json'),
    });
  });
});
