import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createPgSchema, startHttpTarget, type HttpTarget, type PgTestSchema } from '@floe/test-harness';
import { FIXTURES, floe, receipts, specYaml, tempDir, writeProject } from './helpers.js';

const NULLS = join(FIXTURES, 'duckdb-iceberg/is_null_is_not_null');

describe('floe egress run with bad inputs', () => {
  let pg: PgTestSchema;
  let target: HttpTarget;
  let project: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    pg = await createPgSchema('floe_cli_bad');
    target = await startHttpTarget();
  });
  afterAll(async () => {
    await pg.drop();
    await target.close();
  });
  beforeEach(() => {
    project = tempDir();
  });
  afterEach(() => project.cleanup());

  const pgDestination = (extra: Record<string, unknown> = {}) => ({
    name: 'pg',
    sink_type: 'sql_database',
    connection_secret_ref: 'warehouse-db',
    source_table: NULLS,
    config: { table: `${pg.schema}.nulls` },
    ...extra,
  });

  async function tableExists(): Promise<boolean> {
    const [row] = await pg.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [
      `${pg.schema}.nulls`,
    ]);
    return row?.exists === true;
  }

  /** Runs, then checks the run wrote nothing: no receipt folder, no destination table, no request. */
  async function expectNothingWritten(
    spec: string,
    env: Record<string, string>,
    code: number,
    message: RegExp,
  ): Promise<void> {
    const requestsBefore = target.requests.length;
    const run = await floe(['egress', 'run', '--spec', spec], { env });
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(code);
    expect(existsSync(join(project.dir, '.floe'))).toBe(false);
    expect(await tableExists()).toBe(false);
    expect(target.requests.length).toBe(requestsBefore);
  }

  const env = () => ({ FLOE_SECRET_WAREHOUSE_DB_URL: pg.url, FLOE_SECRET_CRM_TOKEN: 'tok-bad-inputs' });

  it('rejects an unknown key with file: path: message and exit 3', async () => {
    const spec = writeProject(project.dir, [pgDestination({ batchsize: 10 })]);
    await expectNothingWritten(spec, env(), 3, /floe\.yaml: destinations\[0\]\.batchsize: unknown key "batchsize"/);
  });

  it('rejects a password written in floe.yaml', async () => {
    const spec = writeProject(project.dir, [
      pgDestination({ config: { table: `${pg.schema}.nulls`, password: 'inline-pw' } }),
    ]);
    await expectNothingWritten(
      spec,
      env(),
      3,
      /floe\.yaml: destinations\[0\]\.config\.password: "password" is a credential/,
    );
  });

  it('rejects a sink type the manifest does not approve', async () => {
    const spec = writeProject(project.dir, [pgDestination()], { sinks: ['rest_api'] });
    await expectNothingWritten(
      spec,
      env(),
      3,
      /destinations\[0\]\.sink_type: sink type "sql_database" is not approved by the platform manifest \(approved_sinks: rest_api\)/,
    );
  });

  it('names the ref and every place looked for a missing secret', async () => {
    const spec = writeProject(project.dir, [pgDestination()]);
    await expectNothingWritten(
      spec,
      { FLOE_SECRETS_DIR: join(project.dir, 'no-secrets') },
      3,
      /destinations\[0\]\.connection_secret_ref: secret "warehouse-db" not found for sink type sql_database: it needs url\n {2}looked in: environment variable FLOE_SECRET_WAREHOUSE_DB_URL, file .*no-secrets\/warehouse-db\/url/,
    );
  });

  it('reports a missing table', async () => {
    const spec = writeProject(project.dir, [pgDestination({ source_table: 'tables/not-there' })]);
    await expectNothingWritten(
      spec,
      env(),
      3,
      /destinations\[0\]\.source_table: cannot open table "tables\/not-there" \(location .*tables\/not-there\): No Iceberg table/,
    );
  });

  it('reports a mapping to a missing column with the columns the table has', async () => {
    const spec = writeProject(project.dir, [pgDestination({ field_mapping: { valeu: 'v' } })]);
    await expectNothingWritten(
      spec,
      env(),
      3,
      /destinations\[0\]\.field_mapping\.valeu: column "valeu" is not in source table .* \(its columns: id, value\)/,
    );
  });

  it('checks every destination before writing any: one bad destination stops the good one', async () => {
    const spec = writeProject(project.dir, [
      pgDestination(),
      {
        name: 'crm',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm',
        source_table: 'missing/table',
        config: { url: `${target.url}/crm` },
      },
    ]);
    await expectNothingWritten(spec, env(), 3, /destinations\[1\]\.source_table: cannot open table/);
  });

  it('refuses an unknown --destination', async () => {
    const spec = writeProject(project.dir, [pgDestination()]);
    const run = await floe(['egress', 'run', '--spec', spec, '--destination', 'nope'], { env: env() });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('--destination: unknown destination "nope"');
    expect(existsSync(join(project.dir, '.floe'))).toBe(false);
  });

  it('fails with exit 1 for an unreachable database, delivering nothing and saying so in the receipt', async () => {
    const spec = writeProject(project.dir, [pgDestination()]);
    const run = await floe(['egress', 'run', '--spec', spec], {
      env: { FLOE_SECRET_WAREHOUSE_DB_URL: 'postgres://floe:unreachable-PW@127.0.0.1:1/x' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/ECONNREFUSED/);
    expect(run.stdout + run.stderr).not.toContain('unreachable-PW');
    const saved = Object.values(receipts(join(project.dir, '.floe')));
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ status: 'failed', exitCode: 1, receipt: { success: false, rowsDelivered: 0 } });
    expect(JSON.stringify(saved)).not.toContain('unreachable-PW');
    expect(await tableExists()).toBe(false);
  });

  it('fails with exit 1 for an unreachable API', async () => {
    const spec = writeProject(project.dir, [
      {
        name: 'crm',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm',
        source_table: NULLS,
        config: { url: 'http://127.0.0.1:1/crm', retry: { max_attempts: 1 } },
      },
    ]);
    const run = await floe(['egress', 'run', '--spec', spec], { env: env() });
    expect(run.code).toBe(1);
    const saved = Object.values(receipts(join(project.dir, '.floe')));
    expect(saved[0]).toMatchObject({ status: 'failed', receipt: { success: false, rowsDelivered: 0 } });
    expect((saved[0]?.receipt as { errors: { category: string }[] }).errors[0]?.category).toBe('TRANSIENT');
  });

  it('exits 3 when the API answers that the request is wrong (404)', async () => {
    target.handle(() => ({ status: 404, body: { message: 'no such collection' } }));
    const spec = writeProject(project.dir, [
      {
        name: 'crm',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm',
        source_table: NULLS,
        config: { url: `${target.url}/nowhere` },
      },
    ]);
    const run = await floe(['egress', 'run', '--spec', spec], { env: env() });
    target.handle(() => ({ status: 200, body: {} }));
    expect(run.code).toBe(3);
    expect(Object.values(receipts(join(project.dir, '.floe')))[0]).toMatchObject({ status: 'failed', exitCode: 3 });
  });

  it('treats a command-line usage error as exit 3', async () => {
    const run = await floe(['egress', 'run', '--no-such-flag']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("unknown option '--no-such-flag'");
  });

  it('reports a YAML syntax error with its line', async () => {
    const spec = writeProject(project.dir, [], { spec: `${specYaml([pgDestination()])}\n  bad: [indent` });
    const run = await floe(['validate', '--spec', spec]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/floe\.yaml: .*line \d+/);
  });
});
