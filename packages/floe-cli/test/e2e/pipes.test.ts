import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startHttpTarget, type HttpTarget } from '@floe/test-harness';
import { BIN, FIXTURES, floe, tempDir, writeProject } from './helpers.js';

/** `floe …args | head -1`: reads stdout's first line, then closes the pipe; resolves with the exit code. */
function firstLineThenClose(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; first: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let first = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (first !== '') return;
      first = chunk.toString('utf8').split('\n')[0] ?? '';
      child.stdout.destroy(); // the reader goes away, as `head -1` does
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ code, first, stderr }));
  });
}

describe('floe egress run | head -1', () => {
  let target: HttpTarget;
  let project: { dir: string; cleanup: () => void };

  beforeEach(async () => {
    // Slow answers, so most of the run happens after the pipe is closed.
    target = await startHttpTarget(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { status: 200, body: {} };
    });
    project = tempDir();
  });
  afterEach(async () => {
    await target.close();
    project.cleanup();
  });

  it('keeps delivering after stdout is closed, exits 0 and records the run completed', async () => {
    const spec = writeProject(project.dir, [
      {
        name: 'uuids',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm-api',
        source_table: join(FIXTURES, 'duckdb-iceberg/uuid'),
        batch_size: 1,
        config: { url: `${target.url}/uuids` },
      },
    ]);
    const run = await firstLineThenClose(['egress', 'run', '--spec', spec, '--json'], {
      FLOE_SECRET_CRM_API_TOKEN: 'tok-pipes-1234567',
    });
    expect(JSON.parse(run.first)).toMatchObject({ event: 'run.started' });
    expect(run.stderr).not.toMatch(/EPIPE|unexpected/);
    expect(run.code).toBe(0);
    expect(target.requests).toHaveLength(10);
    const runs = await floe(['egress', 'runs', '--spec', spec, '--json']);
    const listed = JSON.parse(runs.stdout) as { runs: { status: string; rowsDelivered: number }[] };
    expect(listed.runs).toMatchObject([{ status: 'completed', rowsDelivered: 10 }]);
  });
});
