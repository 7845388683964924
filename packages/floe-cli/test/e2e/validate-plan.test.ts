import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createPgSchema, startHttpTarget, type HttpTarget, type PgTestSchema } from '@floe/test-harness';
import { encodeJsonRows } from '@floe/ingestion-dlt';
import { openTable } from '@floe/lakehouse';
import { FIXTURES, floe, QUICKSTART, tempDir, writeProject } from './helpers.js';

describe('floe validate', () => {
  it('accepts the quickstart and lists its destinations (exit 0)', async () => {
    const run = await floe(['validate', '--spec', join(QUICKSTART, 'floe.yaml')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'lineitem-sqlite: data/lineitem_iceberg → sql_database (replace, secret quickstart-db)',
    );
  });

  it('prints every problem at once and exits 3, as JSON too', async () => {
    const project = tempDir();
    try {
      const spec = writeProject(project.dir, [
        {
          name: 'a',
          sink_type: 'rest_api',
          connection_secret_ref: 'Not_A_Name',
          source_table: 'gold.a',
          config: { url: 'not a url' },
        },
        {
          name: 'b',
          sink_type: 'sql_database',
          connection_secret_ref: 'b',
          source_table: 'gold.b',
          batch_size: 0,
          config: { table: 'b' },
        },
      ]);
      const run = await floe(['validate', '--spec', spec]);
      expect(run.code).toBe(3);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^.*floe\.yaml: destinations\[0\]\.connection_secret_ref: must be a Kubernetes Secret name/,
          ),
          expect.stringMatching(/^.*floe\.yaml: destinations\[1\]\.batch_size: /),
        ]),
      );
      const json = await floe(['validate', '--spec', spec, '--json']);
      expect(json.code).toBe(3);
      const [result] = json.events;
      expect(result).toMatchObject({ valid: false });
      expect((result?.issues as unknown[]).length).toBeGreaterThanOrEqual(2);
    } finally {
      project.cleanup();
    }
  });

  it('takes --manifest over platform.manifest', async () => {
    const project = tempDir();
    try {
      const spec = writeProject(
        project.dir,
        [
          {
            name: 'a',
            sink_type: 'rest_api',
            connection_secret_ref: 'a',
            source_table: 'gold.a',
            config: { url: 'https://x.example/a' },
          },
        ],
        { sinks: ['sql_database'] },
      );
      expect((await floe(['validate', '--spec', spec])).code).toBe(3);
      expect((await floe(['validate', '--spec', spec, '--manifest', join(QUICKSTART, 'manifest.yaml')])).code).toBe(0);
    } finally {
      project.cleanup();
    }
  });

  it('has --help with examples on every command', async () => {
    for (const args of [
      ['--help'],
      ['validate', '--help'],
      ['egress', '--help'],
      ['egress', 'plan', '--help'],
      ['egress', 'run', '--help'],
    ]) {
      const run = await floe(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Examples:');
    }
  });
});

describe('floe egress plan', () => {
  let pg: PgTestSchema;
  let target: HttpTarget;
  let project: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    pg = await createPgSchema('floe_cli_plan');
    target = await startHttpTarget();
    project = tempDir();
  });
  afterAll(async () => {
    await pg.drop();
    await target.close();
    project.cleanup();
  });

  it('shows source, snapshot, rows, batches, mapped columns, target, disposition and first rows — and writes nothing', async () => {
    const spec = writeProject(project.dir, [
      {
        name: 'warehouse',
        sink_type: 'sql_database',
        connection_secret_ref: 'warehouse-db',
        source_table: join(FIXTURES, 'duckdb-iceberg/is_null_is_not_null'),
        batch_size: 3,
        field_mapping: { value: 'label' },
        config: { table: `${pg.schema}.planned`, write_disposition: 'replace' },
      },
      {
        name: 'crm',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm',
        source_table: join(FIXTURES, 'icebird/athena/example'),
        field_mapping: { name: 'full_name' },
        config: { url: `${target.url}/crm` },
      },
    ]);
    const run = await floe(['egress', 'plan', '--spec', spec, '--rows', '2'], {
      env: { FLOE_SECRET_WAREHOUSE_DB_URL: pg.url, FLOE_SECRET_CRM_TOKEN: 'tok-plan' },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/source: +.*is_null_is_not_null +snapshot 1222714758486840798/);
    expect(run.stdout).toMatch(/rows: +8 in 3 batches \(up to 3 rows each\)/);
    expect(run.stdout).toMatch(/target: +postgres:\/\/127\.0\.0\.1:5432\/test table floe_cli_plan_\w+\.planned/);
    expect(run.stdout).toMatch(/disposition: replace/);
    expect(run.stdout).toContain('columns:     id int64, value → label string');
    expect(run.stdout).toContain('secret:      warehouse-db (url from env FLOE_SECRET_WAREHOUSE_DB_URL)');
    expect(run.stdout).toContain('first 2 rows as sent:');
    expect(run.stdout).toContain('first 2 records as sent (JSON) (the whole table):');
    expect(run.stdout).toContain('{"id":1,"full_name":"Alice"}');
    expect(run.stdout).not.toContain(pg.url);

    const [exists] = await pg.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [
      `${pg.schema}.planned`,
    ]);
    expect(exists?.exists).toBe(false);
    expect(target.requests).toHaveLength(0);
    expect(readdirSync(project.dir).sort()).toEqual(['floe.yaml', 'manifest.yaml']);
  });

  it('prints the first records exactly as the REST sink encodes them, as JSON', async () => {
    const spec = writeProject(project.dir, [
      {
        name: 'people',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm',
        source_table: join(FIXTURES, 'duckdb-iceberg/column_mapping/warehouse/default.db/my_table'),
        config: { url: `${target.url}/p` },
      },
    ]);
    const run = await floe(['egress', 'plan', '--spec', spec, '--json'], {
      env: { FLOE_SECRET_CRM_TOKEN: 'tok-plan' },
    });
    expect(run.code).toBe(0);
    const [plan] = run.events;
    const table = await openTable({
      location: join(FIXTURES, 'duckdb-iceberg/column_mapping/warehouse/default.db/my_table'),
    });
    const expected: string[] = [];
    for await (const batch of table.batches()) expected.push(...encodeJsonRows(batch));
    const destination = (plan?.destinations as Record<string, unknown>[])[0];
    expect(destination).toMatchObject({
      name: 'people',
      rows: 3,
      batches: 1,
      sinkType: 'rest_api',
      disposition: 'append',
      problems: [],
    });
    expect(destination?.firstRowsJson).toEqual(expected.slice(0, 3));
    expect(target.requests).toHaveLength(0);
  });

  it('reports a missing secret (exit 3) but still shows the rest of the plan', async () => {
    const spec = writeProject(project.dir, [
      {
        name: 'warehouse',
        sink_type: 'sql_database',
        connection_secret_ref: 'warehouse-db',
        source_table: join(FIXTURES, 'icebird/athena/example'),
        config: { table: 't' },
      },
    ]);
    const run = await floe(['egress', 'plan', '--spec', spec]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('secret:      warehouse-db (NOT FOUND)');
    expect(run.stdout).toContain('first 2 rows as sent (the whole table):');
    expect(run.stderr).toContain('secret "warehouse-db" not found');
    expect(existsSync(join(project.dir, '.floe'))).toBe(false);
  });
});
