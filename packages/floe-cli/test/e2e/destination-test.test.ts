import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createPgSchema, startHttpTarget, type HttpTarget, type PgTestSchema } from '@floe/test-harness';
import { FIXTURES, REPO, floe, tempDir, writeProject } from './helpers.js';

/** Three rows: id, name (see the fixture's README). */
const SOURCE = join(FIXTURES, 'duckdb-iceberg/column_mapping/warehouse/default.db/my_table');

describe('floe destination test → PostgreSQL (read-only)', () => {
  let pg: PgTestSchema;
  let project: { dir: string; cleanup: () => void };
  let columns: string[];

  beforeAll(async () => {
    pg = await createPgSchema('floe_dtest');
    project = tempDir();
    // The mapped columns, as plan shows them.
    const spec = writeProject(project.dir, [destination('probe', 'probe')]);
    const plan = await floe(['egress', 'plan', '--spec', spec, '--json'], { env: env(pg.url) });
    const planned = JSON.parse(plan.stdout) as { destinations: { columns: { target: string }[] }[] };
    columns = planned.destinations[0]?.columns.map((column) => column.target) ?? [];
    expect(columns.length).toBeGreaterThan(0);
    await pg.query(`CREATE TABLE "${pg.schema}"."ready" (${columns.map((column) => `"${column}" text`).join(', ')})`);
    await pg.query(`CREATE TABLE "${pg.schema}"."narrow" ("${columns[0]}" text)`);
  });
  afterAll(async () => {
    await pg.drop();
    project.cleanup();
  });

  function destination(name: string, table: string, config: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      name,
      sink_type: 'sql_database',
      connection_secret_ref: 'warehouse-db',
      source_table: SOURCE,
      config: { table: `${pg.schema}.${table}`, create_table: false, ...config },
    };
  }
  function env(url: string): Record<string, string> {
    return { FLOE_SECRET_WAREHOUSE_DB_URL: url };
  }
  async function tables(): Promise<string[]> {
    const rows = await pg.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = $1', [
      pg.schema,
    ]);
    return rows.map((row) => row.name).sort();
  }

  it('passes for an existing table with the mapped columns, one ✔ line per check, exit 0', async () => {
    const spec = writeProject(project.dir, [destination('dw', 'ready')]);
    const run = await floe(['destination', 'test', '--spec', spec], { env: env(pg.url) });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const check of ['secret', 'source', 'connect', 'table', 'columns'])
      expect(run.stdout).toMatch(new RegExp(`✔ ${check}: `));
    expect(run.stdout).not.toContain('✘');
    expect(await tables()).toEqual(['narrow', 'ready']);
  });

  it('a missing table (create_table: false) is ✘ and exit 3; nothing is created (no table, no ledger, no schema)', async () => {
    const spec = writeProject(project.dir, [
      destination('dw', 'absent'),
      { ...destination('other', 'absent'), config: { table: 'floe_dtest_noschema.absent', create_table: false } },
    ]);
    const run = await floe(['destination', 'test', '--spec', spec], { env: env(pg.url) });
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/✘ table: table .*absent does not exist and create_table is false/);
    expect(await tables()).toEqual(['narrow', 'ready']);
    const schemas = await pg.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', ['floe_dtest_noschema']);
    expect(schemas).toHaveLength(0);
  });

  it('a table lacking mapped columns is ✘ columns, exit 3; with create_table: true a missing table is ✔', async () => {
    const spec = writeProject(project.dir, [
      destination('narrow', 'narrow'),
      destination('fresh', 'fresh', { create_table: true }),
    ]);
    const run = await floe(['destination', 'test', '--spec', spec], { env: env(pg.url) });
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/✘ columns: .*narrow has no column/);
    expect(run.stdout).toMatch(/✔ table: table .*fresh does not exist: the first run creates it/);
    expect(await tables()).toEqual(['narrow', 'ready']);
  });

  it('an unreachable port or refused credentials is ✘ connect and exit 1, with no secret shown', async () => {
    const closed = new URL(pg.url);
    closed.port = '1';
    closed.password = 'pw-unreachable-93jd';
    const unreachable = await floe(
      ['destination', 'test', '--spec', writeProject(project.dir, [destination('dw', 'ready')])],
      { env: env(closed.toString()) },
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toMatch(/✘ connect: /);
    expect(unreachable.stdout + unreachable.stderr).not.toContain('pw-unreachable-93jd');

    // The test server trusts local connections, so a wrong password passes: an unknown role is refused.
    const refused = new URL(pg.url);
    refused.username = 'floe_no_such_role';
    refused.password = 'pw-refused-5512xk';
    const run = await floe(['destination', 'test', '--spec', writeProject(project.dir, [destination('dw', 'ready')])], {
      env: env(refused.toString()),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✘ connect: .*floe_no_such_role/);
    expect(run.stdout + run.stderr).not.toContain('pw-refused-5512xk');
  });

  it('egress plan --check-target runs the same checks in the dry run (and --json carries them)', async () => {
    const spec = writeProject(project.dir, [destination('dw', 'ready'), destination('gone', 'absent')]);
    const plan = await floe(['egress', 'plan', '--spec', spec, '--check-target', '--format', 'human'], {
      env: env(pg.url),
    });
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain('target check (read-only):');
    expect(plan.stdout).toMatch(/✔ columns: /);
    expect(plan.stdout).toMatch(/✘ table: .*absent does not exist/);
    const json = await floe(['egress', 'plan', '--spec', spec, '--check-target', '--json', '-d', 'dw'], {
      env: env(pg.url),
    });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { destinations: { targetCheck: { checks: { ok: boolean }[] } }[] };
    expect(parsed.destinations[0]?.targetCheck.checks.every((check) => check.ok)).toBe(true);
    // Without --check-target, plan does not connect (no targetCheck).
    const plain = await floe(['egress', 'plan', '--spec', spec, '--json', '-d', 'dw'], { env: env(pg.url) });
    expect(JSON.parse(plain.stdout)).not.toHaveProperty('destinations.0.targetCheck');
    expect(await tables()).toEqual(['narrow', 'ready']);
  });
});

describe('floe destination test → REST API (read-only)', () => {
  let target: HttpTarget;
  let project: { dir: string; cleanup: () => void };
  const token = 'tok-DestTest-88121';

  beforeEach(async () => {
    target = await startHttpTarget((request) =>
      request.headers.authorization === `Bearer ${token}` ? { status: 200, body: {} } : { status: 401, body: {} },
    );
    project = tempDir();
  });
  afterEach(async () => {
    await target.close();
    project.cleanup();
  });

  function spec(): string {
    return writeProject(project.dir, [
      {
        name: 'crm',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm-api',
        source_table: SOURCE,
        config: { url: `${target.url}/contacts` },
      },
    ]);
  }

  it('an endpoint that accepts the credential is ✔ and exit 0; nothing is posted', async () => {
    const run = await floe(['destination', 'test', '--spec', spec()], { env: { FLOE_SECRET_CRM_API_TOKEN: token } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✔ reach: /);
    expect(run.stdout).toMatch(/✔ auth: the credential was accepted/);
    expect(target.requests.length).toBeGreaterThan(0);
    for (const request of target.requests) {
      expect(['HEAD', 'OPTIONS', 'GET']).toContain(request.method);
      expect(request.rawBody).toHaveLength(0);
    }
    expect(run.stdout).not.toContain(token);
  });

  it('a 401 is ✘ auth and exit 3, naming the secret to fix; nothing is posted, no secret shown', async () => {
    const run = await floe(['destination', 'test', '--spec', spec()], {
      env: { FLOE_SECRET_CRM_API_TOKEN: 'tok-Wrong-55120' },
    });
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/✘ auth: the endpoint refused the credential \(401\)/);
    expect(target.requests.every((request) => request.method !== 'POST')).toBe(true);
    expect(run.stdout + run.stderr).not.toContain('tok-Wrong-55120');
  });

  it('an endpoint that only takes POST is reachable, the credential unverified (never POSTed to check it)', async () => {
    target.handle((request) => (request.method === 'POST' ? { status: 200, body: {} } : { status: 405 }));
    const run = await floe(['destination', 'test', '--spec', spec()], { env: { FLOE_SECRET_CRM_API_TOKEN: token } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✔ auth: not verified/);
    expect(target.requests.map((request) => request.method)).toEqual(['HEAD', 'OPTIONS', 'GET']);
  });

  it('a closed port is ✘ reach and exit 1', async () => {
    const url = target.url;
    await target.close();
    const run = await floe(
      [
        'destination',
        'test',
        '--spec',
        writeProject(project.dir, [
          {
            name: 'crm',
            sink_type: 'rest_api',
            connection_secret_ref: 'crm-api',
            source_table: SOURCE,
            config: { url: `${url}/contacts` },
          },
        ]),
      ],
      { env: { FLOE_SECRET_CRM_API_TOKEN: token } },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✘ reach: .*no answer/);
    target = await startHttpTarget();
  });
});

describe('floe destination test → a sink type without testTarget', () => {
  it('says "not supported by sink type jsonl_file", which is not an error (exit 0), and writes no file', async () => {
    const project = tempDir('floe-dtest-third-party-');
    try {
      mkdirSync(join(project.dir, 'node_modules/@floe'), { recursive: true });
      symlinkSync(
        join(REPO, 'tests/fixtures/floe-sink-jsonl'),
        join(project.dir, 'node_modules/floe-sink-jsonl'),
        'dir',
      );
      for (const pkg of ['core', 'delivery'])
        symlinkSync(join(REPO, `packages/floe-${pkg}`), join(project.dir, `node_modules/@floe/${pkg}`), 'dir');
      const spec = writeProject(
        project.dir,
        [
          {
            name: 'lines',
            sink_type: 'jsonl_file',
            connection_secret_ref: 'lines',
            source_table: SOURCE,
            config: { file: 'out/lines.jsonl' },
          },
        ],
        { sinks: ['jsonl_file', 'jsonl_basic'] },
      );
      const run = await floe(['destination', 'test', '--spec', spec]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('- target: not supported by sink type jsonl_file (nothing checked)');
      expect(existsSync(join(project.dir, 'out'))).toBe(false);
    } finally {
      project.cleanup();
    }
  });
});
