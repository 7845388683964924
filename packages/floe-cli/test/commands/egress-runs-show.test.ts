import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStateStore } from '@floe/delivery';
import type { CliContext } from '../../src/context.js';
import { createDefaultEngine } from '../../src/egress/default-engine.js';
import { runCli } from '../../src/program.js';

const ATTEMPT_OK = '20250101T000000Z-aaaaaa';
const ATTEMPT_FAILED = '20250101T000001Z-bbbbbb';

describe('egress runs show, --status, error column', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const ctx = (tty: boolean): CliContext => ({
    cwd: dir,
    env: {},
    stdout: { write: (text: string) => void out.push(text), isTTY: tty, columns: 80 },
    stderr: { write: (text: string) => void err.push(text) },
    secrets: { env: {}, readFile: () => undefined, listDir: () => undefined },
    createEngine: createDefaultEngine,
    signal: new AbortController().signal,
    now: () => new Date('2025-01-02T03:04:05Z'),
  });
  const init = (attempt: string, destination: string) => ({
    runId: `${attempt}/${destination}`,
    runKey: `k-${attempt}-${destination}`,
    attemptId: attempt,
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
    dir = mkdtempSync(join(tmpdir(), 'floe-runs-show-'));
    out = [];
    err = [];
    writeFileSync(join(dir, 'floe.yaml'), 'destinations:\n  - name: crm_eu\n  - name: crm_us\n  - name: dw\n');
    const store = openStateStore(join(dir, '.floe', 'state.db'));
    await store.begin(init(ATTEMPT_OK, 'crm_eu'));
    await store.finish(`${ATTEMPT_OK}/crm_eu`, 'completed');
    await store.begin(init(ATTEMPT_FAILED, 'crm_us'));
    await store.finish(`${ATTEMPT_FAILED}/crm_us`, 'failed');
    await store.close();
    const runDir = join(dir, '.floe', 'runs', ATTEMPT_FAILED);
    mkdirSync(runDir, { recursive: true });
    writeFileSync(
      join(runDir, 'crm_us.json'),
      JSON.stringify({
        status: 'failed',
        rejected: { file: 'crm_us.rejected.jsonl', rows: 1 },
        receipt: {
          errors: [
            { row: 3, message: 'value is required', category: 'PERMANENT' },
            { batch: 1, message: 'HTTP 503 Service Unavailable', category: 'TRANSIENT' },
          ],
        },
      }),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shows whole run ids on a narrow terminal, and the error of each run', async () => {
    expect(await runCli(['egress', 'runs'], ctx(true))).toBe(0);
    const text = out.join('');
    expect(text).toContain(`${ATTEMPT_FAILED}/crm_us |`);
    expect(text).toMatch(/\| error\n/);
    expect(text).toContain('TRANSIENT: HTTP 503 Service Unavailable');
  });

  it('filters on --status and on several -d names, commas and globs', async () => {
    expect(await runCli(['egress', 'runs', '--status', 'failed', '--json'], ctx(false))).toBe(0);
    expect((JSON.parse(out.join('')) as { runs: { runId: string }[] }).runs.map((r) => r.runId)).toEqual([
      `${ATTEMPT_FAILED}/crm_us`,
    ]);
    out = [];
    expect(await runCli(['egress', 'runs', '-d', 'dw,crm_e*', '--json'], ctx(false))).toBe(0);
    expect((JSON.parse(out.join('')) as { runs: { runId: string }[] }).runs.map((r) => r.runId)).toEqual([
      `${ATTEMPT_OK}/crm_eu`,
    ]);
    expect(await runCli(['egress', 'runs', '--status', 'done'], ctx(false))).toBe(3);
  });

  it('shows one run: counts, attempts, errors and where the rejected rows are', async () => {
    expect(await runCli(['egress', 'runs', 'show', ATTEMPT_FAILED], ctx(true))).toBe(0);
    const text = out.join('');
    expect(text).toContain(`${ATTEMPT_FAILED}/crm_us: failed`);
    expect(text).toMatch(/batches\s+0\/3 committed/);
    expect(text).toMatch(/attempts\s+1 \(last 20250101T000001Z-bbbbbb/);
    expect(text).toContain(join('.floe', 'runs', ATTEMPT_FAILED, 'crm_us.rejected.jsonl'));
    expect(text).toContain('row 3: PERMANENT: value is required');
    expect(text).toContain('batch 1: TRANSIENT: HTTP 503 Service Unavailable');
  });

  it('exits 3 naming the run when there is no such run', async () => {
    expect(await runCli(['egress', 'runs', 'show', 'nope'], ctx(true))).toBe(3);
    expect(err.join('')).toMatch(/no run nope in sqlite:/);
  });
});
