import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { createPgSchema, type PgTestSchema } from '@floe/test-harness';
import { asText, FIXTURES, floe, lakehouseRows, receipts, sorted, tempDir, writeProject } from './helpers.js';

/** Shared fixtures pushed to PostgreSQL, with what their README says they hold. */
const TABLES = [
  { name: 'eqdel', path: 'duckdb-iceberg/equality_deletes/warehouse/mydb/mytable', rows: 2 },
  { name: 'nulls', path: 'duckdb-iceberg/is_null_is_not_null', rows: 8 },
  { name: 'renamed', path: 'icebird/spark/rename_column', rows: 4 },
  { name: 'athena', path: 'icebird/athena/example', rows: 2 },
  { name: 'pyiceberg', path: 'iceberg-python/target', rows: 2 },
] as const;

describe('floe egress run → PostgreSQL', () => {
  let pg: PgTestSchema;
  let project: { dir: string; cleanup: () => void };
  const token = 'pg-pass-Zq81x';

  beforeAll(async () => {
    pg = await createPgSchema('floe_cli');
    project = tempDir();
  });
  afterAll(async () => {
    await pg.drop();
    project.cleanup();
  });

  async function columnsText(table: string): Promise<Record<string, string | null>[]> {
    const columns = await pg.query<{ column_name: string }>(
      'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
      [pg.schema, table],
    );
    const list = columns.map(({ column_name: c }) => `"${c}"::text AS "${c}"`).join(', ');
    return pg.query<Record<string, string | null>>(`SELECT ${list} FROM "${pg.schema}"."${table}"`);
  }

  it('delivers several fixtures row for row, saves a receipt per destination and exits 0', async () => {
    const url = new URL(pg.url);
    url.password = token; // the test server trusts local connections: the password is only there to be redacted
    const spec = writeProject(
      project.dir,
      TABLES.map((t) => ({
        name: t.name,
        sink_type: 'sql_database',
        connection_secret_ref: 'warehouse-db',
        source_table: join(FIXTURES, t.path),
        batch_size: 3,
        config: { table: `${pg.schema}.${t.name}` },
      })),
    );
    const run = await floe(['egress', 'run', '--spec', spec], {
      env: { FLOE_SECRET_WAREHOUSE_DB_URL: url.toString() },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    for (const t of TABLES) {
      const expected = sorted((await lakehouseRows(join(FIXTURES, t.path))).map((row) => asText(row)));
      expect(expected).toHaveLength(t.rows);
      expect(sorted(await columnsText(t.name))).toEqual(expected);
    }

    const saved = Object.values(receipts(join(project.dir, '.floe')));
    expect(saved).toHaveLength(TABLES.length);
    for (const receipt of saved) {
      const table = TABLES.find((t) => t.name === receipt.destination);
      expect(receipt).toMatchObject({
        status: 'delivered',
        exitCode: 0,
        sinkType: 'sql_database',
        source: { rows: table?.rows },
      });
      expect(receipt.receipt).toMatchObject({ success: true, rowsDelivered: table?.rows, errors: [] });
    }
    const finished = run.events.find((event) => event.event === 'run.finished');
    expect(finished).toMatchObject({ exitCode: 0 });
    expect(run.stdout + JSON.stringify(saved)).not.toContain(token);
  });

  it('holds the values the fixtures README lists', async () => {
    expect(sorted(await pg.query(`SELECT id, name, bir::text AS bir FROM "${pg.schema}".eqdel`))).toEqual([
      { id: 4, name: 'd', bir: '2025-01-04' },
      { id: 5, name: 'e', bir: '2025-01-05' },
    ]);
    const nulls = await pg.query<{ id: string; value: string | null }>(
      `SELECT id::text AS id, value FROM "${pg.schema}".nulls ORDER BY id`,
    );
    expect(nulls.map((row) => row.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(nulls.map((row) => row.value)).toEqual([null, null, null, 'foo', 'bar', 'baz', null, 'blah']);
  });

  it('renames columns by field_mapping and replaces rather than duplicates on a rerun', async () => {
    const dir = join(project.dir, 'mapped');
    const spec = writeProject(dir, [
      {
        name: 'bunnies',
        sink_type: 'sql_database',
        connection_secret_ref: 'warehouse-db',
        source_table: join(FIXTURES, 'icebird/java/bunnies'),
        field_mapping: {
          'Breed Name': 'breed',
          'Average Weight': 'avg_weight',
          'Fur Length': 'fur_length',
          'Origin Country': 'country',
          'Ear Type': 'ear_type',
          'Popularity Rank': 'rank',
        },
        config: { table: `${pg.schema}.bunnies`, write_disposition: 'replace' },
      },
    ]);
    const env = { FLOE_SECRET_WAREHOUSE_DB_URL: pg.url };
    expect((await floe(['egress', 'run', '--spec', spec], { env })).code).toBe(0);
    const second = await floe(['egress', 'run', '--spec', spec, '--json'], { env });
    expect(second.code).toBe(0);
    const mapping = {
      'Breed Name': 'breed',
      'Average Weight': 'avg_weight',
      'Fur Length': 'fur_length',
      'Origin Country': 'country',
      'Ear Type': 'ear_type',
      'Popularity Rank': 'rank',
      // the columns field_mapping leaves alone are named by naming: snake_case (the default, as dlt's)
      Lifespan: 'lifespan',
      Temperament: 'temperament',
      __happy__: '_happy',
    };
    const expected = sorted(
      (await lakehouseRows(join(FIXTURES, 'icebird/java/bunnies'))).map((row) => asText(row, mapping)),
    );
    expect(expected).toHaveLength(15);
    expect(sorted(await columnsText('bunnies'))).toEqual(expected);
    expect(Object.keys(receipts(join(dir, '.floe')))).toHaveLength(2);
  });

  it('previews the destination after the run with SELECT … LIMIT n', async () => {
    const dir = join(project.dir, 'preview');
    const spec = writeProject(dir, [
      {
        name: 'athena',
        sink_type: 'sql_database',
        connection_secret_ref: 'db',
        source_table: join(FIXTURES, 'icebird/athena/example'),
        config: { table: `${pg.schema}.preview`, write_disposition: 'replace' },
      },
    ]);
    const run = await floe(['egress', 'run', '--spec', spec, '--preview', '1'], {
      env: { FLOE_SECRET_DB_URL: pg.url },
    });
    expect(run.code).toBe(0);
    const preview = run.events.find((event) => event.event === 'preview');
    expect(preview).toMatchObject({ destination: 'athena', ok: true, columns: ['id', 'name'] });
    expect(preview?.rows).toHaveLength(1);
  });
});
