import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { startHttpTarget, type HttpTarget } from '@floe/test-harness';
import { FIXTURES, floe, tempDir, writeProject } from './helpers.js';

describe('egress run --fail-fast and -d patterns', () => {
  let target: HttpTarget;
  let project: { dir: string; cleanup: () => void };
  let spec: string;
  const env = { FLOE_SECRET_CRM_API_TOKEN: 'tok-failfast-4410' };

  beforeEach(async () => {
    // /refuse answers 401 (a permanent failure); the others accept.
    target = await startHttpTarget((request) =>
      request.url.startsWith('/refuse') ? { status: 401, body: { message: 'no' } } : { status: 200, body: {} },
    );
    project = tempDir();
    const destination = (name: string, path: string) => ({
      name,
      sink_type: 'rest_api',
      connection_secret_ref: 'crm-api',
      source_table: join(FIXTURES, 'duckdb-iceberg/uuid'),
      config: { url: `${target.url}/${path}` },
    });
    spec = writeProject(project.dir, [
      destination('crm_eu', 'refuse'),
      destination('crm_us', 'us'),
      destination('dw', 'dw'),
    ]);
  });
  afterEach(async () => {
    await target.close();
    project.cleanup();
  });

  it('skips the destinations after the first failure with --fail-fast', async () => {
    const run = await floe(['egress', 'run', '--spec', spec, '--json', '--fail-fast'], { env });
    expect(run.code).toBe(1);
    expect(run.events.filter((e) => e.event === 'skipped')).toEqual([
      expect.objectContaining({ destination: 'crm_us', reason: '--fail-fast: crm_eu failed' }),
      expect.objectContaining({ destination: 'dw', reason: '--fail-fast: crm_eu failed' }),
    ]);
    expect(target.requests.filter((r) => !r.url.startsWith('/refuse'))).toEqual([]);
  });

  it('goes on with the other destinations without it', async () => {
    const run = await floe(['egress', 'run', '--spec', spec, '--json'], { env });
    expect(run.code).toBe(1);
    expect(run.events.find((e) => e.event === 'run.finished')).toMatchObject({
      destinations: { crm_eu: 'failed', crm_us: 'delivered', dw: 'delivered' },
    });
  });

  it('-d takes several names, commas and globs', async () => {
    const run = await floe(['egress', 'run', '--spec', spec, '--json', '-d', 'crm_u*,dw'], { env });
    expect(run.code).toBe(0);
    expect(run.events.find((e) => e.event === 'run.finished')).toMatchObject({
      destinations: { crm_us: 'delivered', dw: 'delivered' },
    });
    expect(
      Object.keys((run.events.find((e) => e.event === 'run.finished') as { destinations: object }).destinations),
    ).toEqual(['crm_us', 'dw']);
  });
});
