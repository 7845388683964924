import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startHttpTarget, type HttpTarget, type TargetHandler } from '@floe/test-harness';
import { BIN, FIXTURES, floe, jsonLines, tempDir, writeProject } from './helpers.js';

const TOKEN = 'tok-waiting-77123';

describe('egress run progress while the destination makes it wait', () => {
  let target: HttpTarget | undefined;
  let project: { dir: string; cleanup: () => void };

  beforeEach(() => {
    project = tempDir();
  });
  afterEach(async () => {
    await target?.close();
    project.cleanup();
  });

  async function projectWith(handler: TargetHandler, config: Record<string, unknown> = {}): Promise<string> {
    target = await startHttpTarget(handler);
    return writeProject(project.dir, [
      {
        name: 'crm',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm-api',
        source_table: join(FIXTURES, 'duckdb-iceberg/uuid'),
        config: { url: `${target.url}/contacts`, ...config },
      },
    ]);
  }

  it('reports waiting progress events every few seconds when a hanging endpoint never answers (default settings)', async () => {
    const spec = await projectWith(() => ({ hang: true }));
    const child = spawn(process.execPath, [BIN, 'egress', 'run', '--spec', spec, '--json'], {
      env: { ...process.env, FLOE_SECRET_CRM_API_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const waiting = await new Promise<Record<string, unknown>[]>((done) => {
      const timer = setTimeout(() => done([]), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const found = jsonLines(stdout).filter((event) => event.event === 'progress' && event.waiting !== undefined);
        if (found.length >= 2) {
          clearTimeout(timer);
          done(found);
        }
      });
    });
    child.kill('SIGKILL');
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    const [first, second] = waiting as [Record<string, unknown>, Record<string, unknown>];
    expect(first).toMatchObject({ destination: 'crm', total: 10, waiting: { retry: null } });
    const since = (event: Record<string, unknown>) =>
      (event.waiting as { sinceLastAnswerSeconds: number }).sinceLastAnswerSeconds;
    expect(since(first)).toBeGreaterThanOrEqual(5);
    expect(since(first)).toBeLessThan(10);
    expect(since(second)).toBeGreaterThan(since(first));
  }, 30_000);

  it('reports each retry (a 503 with Retry-After) as a progress event, then delivers', async () => {
    const spec = await projectWith(
      (_request, index) =>
        index < 2
          ? { status: 503, headers: { 'retry-after': '1' }, body: { message: 'busy' } }
          : { status: 200, body: {} },
      { retry: { max_attempts: 3, initial_delay_ms: 1, max_delay_ms: 2 } },
    );
    const run = await floe(['egress', 'run', '--spec', spec, '--json'], {
      env: { FLOE_SECRET_CRM_API_TOKEN: TOKEN },
    });
    expect(run.code).toBe(0);
    const retries = run.events
      .filter((event) => event.event === 'progress' && event.waiting !== undefined)
      .map((event) => (event.waiting as { retry: Record<string, unknown> }).retry);
    expect(retries).toEqual([
      expect.objectContaining({
        kind: 'retry',
        batchIndex: 0,
        attempt: 1,
        delayMs: 1000,
        reason: expect.stringMatching(/HTTP 503/),
      }),
      expect.objectContaining({ kind: 'retry', batchIndex: 0, attempt: 2, delayMs: 1000 }),
    ]);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });
});
