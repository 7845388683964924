import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { startHttpTarget, type HttpTarget } from '@floe/test-harness';
import { FIXTURES, floe, tempDir, writeProject } from './helpers.js';

const ENV = { FLOE_SECRET_CRM_API_TOKEN: 'tok-output-conv-991', LANG: 'en_US.UTF-8', LC_ALL: '' };

describe('output conventions: --format, -q, -v, ASCII fallback', () => {
  let target: HttpTarget;
  let project: { dir: string; cleanup: () => void };
  let spec: string;

  beforeAll(async () => {
    target = await startHttpTarget();
    project = tempDir();
    spec = writeProject(project.dir, [
      {
        name: 'crm',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm-api',
        source_table: join(FIXTURES, 'duckdb-iceberg/uuid'),
        batch_size: 4,
        // Every run of these tests delivers the whole table (they look at the output, not at what changed).
        sync: { mode: 'append', changes_only: false },
        config: { url: `${target.url}/contacts` },
      },
    ]);
  });
  afterAll(async () => {
    await target.close();
    project.cleanup();
  });

  it('--format human prints text even when stdout is not a terminal', async () => {
    const run = await floe(['egress', 'run', '--spec', spec, '--format', 'human'], { env: ENV });
    expect(run.code).toBe(0);
    expect(run.events).toEqual([]);
    expect(run.stdout).toMatch(/^✔ crm: delivered — 10 rows delivered/m);
    expect(run.stdout).toMatch(/^Run \S+: 1 delivered \(exit 0\)/m);
  });

  it('falls back to ASCII glyphs when the locale is not UTF-8', async () => {
    const run = await floe(['--format', 'human', 'egress', 'run', '--spec', spec], {
      env: { ...ENV, LANG: 'C', LC_ALL: 'C' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\+ crm: delivered - 10 rows delivered/m);
    expect(run.stdout + run.stderr).not.toMatch(/[✔✘▲█░→·…]/);
  });

  it('-q prints only the result; with --json it leaves out progress events', async () => {
    const human = await floe(['-q', 'egress', 'run', '--spec', spec, '--format', 'human'], { env: ENV });
    expect(human.code).toBe(0);
    const lines = human.stdout.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^✔ crm: delivered/);
    expect(lines[1]).toMatch(/^Run /);
    const json = await floe(['egress', 'run', '--spec', spec, '--json', '--quiet'], { env: ENV });
    expect(json.code).toBe(0);
    expect(json.events.map((event) => event.event)).toEqual([
      'run.started',
      'destination.started',
      'receipt',
      'run.finished',
    ]);
  });

  it('-v prints debug lines on stderr, never on stdout', async () => {
    const run = await floe(['egress', 'run', '--spec', spec, '--json', '-v'], { env: ENV });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^floe: debug: state store sqlite:/m);
    expect(run.stderr).toMatch(/^floe: debug: crm: 3 batches acknowledged, 10 rows delivered/m);
    for (const line of run.stdout.split('\n').filter((l) => l !== ''))
      expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(run.stderr).not.toContain(ENV.FLOE_SECRET_CRM_API_TOKEN);
  });

  it('--format json is --json (validate)', async () => {
    const run = await floe(['validate', '--spec', spec, '--format', 'json'], { env: ENV });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ valid: true });
  });
});
