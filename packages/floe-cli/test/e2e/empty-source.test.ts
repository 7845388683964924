import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { IcebergTableWriter } from '@floe/lakehouse/testing';
import {
  createMysqlDatabase,
  createPgSchema,
  startHttpTarget,
  type HttpTarget,
  type MysqlTestDatabase,
  type PgTestSchema,
} from '@floe/test-harness';
import { writeSourceTable } from '../fault/support/source-table.js';
import { floe, receipts, tempDir, writeProject } from './helpers.js';

/** The slice of better-sqlite3 this test uses (the package ships no types here). */
interface SqliteDatabase {
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string,
  options: { readonly: boolean },
) => SqliteDatabase;

const FIELDS = [
  { id: 1, name: 'id', required: false, type: 'long' },
  { id: 2, name: 'name', required: false, type: 'string' },
  { id: 3, name: 'amount', required: false, type: 'double' },
] as const;
const COLUMNS = ['id', 'name', 'amount'];
const DISPOSITIONS = ['append', 'replace', 'merge'] as const;
const DIALECTS = ['pg', 'mariadb', 'sqlite'] as const;

/** An Iceberg table of {@link FIELDS} without data: no snapshot at all, or a snapshot with no data files. */
async function writeEmptyTable(location: string, kind: 'no-snapshot' | 'empty-snapshot'): Promise<void> {
  const writer = await IcebergTableWriter.create({ location, fields: FIELDS.map((field) => ({ ...field })) });
  if (kind === 'empty-snapshot') await writer.commit({ dataFiles: [] });
}

/**
 * A source with 0 rows (issue 13 §3): every SQL destination gets a table with the source's columns and no row
 * (replace empties a filled one), every disposition exits 0 with a 0-row receipt, and a REST API gets nothing.
 */
describe('floe egress run of an empty source table', () => {
  let pg: PgTestSchema;
  let my: MysqlTestDatabase;
  let api: HttpTarget;
  let project: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    pg = await createPgSchema('floe_empty');
    my = await createMysqlDatabase('floe_empty');
    api = await startHttpTarget();
    project = tempDir('floe-empty-');
    await writeSourceTable(join(project.dir, 'filled'), 3);
  });
  afterAll(async () => {
    await pg.drop();
    await my.drop();
    await api.close();
    project.cleanup();
  });

  const sqliteFile = (): string => join(project.dir, 'out.db');
  const urls = (): Record<string, string> => ({
    FLOE_SECRET_PG_URL: pg.url,
    FLOE_SECRET_MARIADB_URL: my.url,
    FLOE_SECRET_SQLITE_URL: `sqlite:${sqliteFile()}`,
    FLOE_SECRET_API_TOKEN: 'tok-empty',
  });

  function destinations(kind: string, source: string, only?: 'replace'): Record<string, unknown>[] {
    const sql = DIALECTS.flatMap((dialect) =>
      DISPOSITIONS.filter((disposition) => only === undefined || disposition === only).map((disposition) => ({
        name: `${dialect}-${disposition}-${kind}`,
        sink_type: 'sql_database',
        connection_secret_ref: dialect,
        source_table: source,
        batch_size: 2,
        config: {
          table: `${dialect === 'pg' ? `${pg.schema}.` : ''}t_${kind.replace('-', '_')}_${disposition}`,
          write_disposition: disposition,
          ...(disposition === 'merge' && { primary_key: ['id'] }),
        },
      })),
    );
    if (only !== undefined) return sql;
    const rest = { name: `api-${kind}`, sink_type: 'rest_api', connection_secret_ref: 'api', source_table: source };
    return [...sql, { ...rest, config: { url: `${api.url}/${kind}` } }];
  }

  async function tableOf(
    dialect: (typeof DIALECTS)[number],
    table: string,
  ): Promise<{ columns: string[]; rows: number }> {
    if (dialect === 'pg') {
      const columns = await pg.query<{ c: string }>(
        'SELECT column_name AS c FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
        [pg.schema, table],
      );
      const [count] = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${pg.schema}"."${table}"`);
      return { columns: columns.map((column) => column.c), rows: count?.n ?? -1 };
    }
    if (dialect === 'mariadb') {
      const columns = await my.query<{ c: string }>(
        'SELECT column_name AS c FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position',
        [my.database, table],
      );
      const [count] = await my.query<{ n: number }>(`SELECT count(*) AS n FROM \`${table}\``);
      return { columns: columns.map((column) => column.c), rows: Number(count?.n ?? -1) };
    }
    const db = new Database(sqliteFile(), { readonly: true });
    try {
      const columns = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[];
      const [count] = db.prepare(`SELECT count(*) AS n FROM "${table}"`).all() as { n: number }[];
      return { columns: columns.map((column) => column.name), rows: count?.n ?? -1 };
    } finally {
      db.close();
    }
  }

  for (const kind of ['no-snapshot', 'empty-snapshot'] as const) {
    it(`creates every table with the source's columns and 0 rows, empties a replaced one, sends nothing (${kind})`, async () => {
      const dir = join(project.dir, kind);
      const source = join(project.dir, `source-${kind}`);
      await writeEmptyTable(source, kind);

      // The replace targets first hold the 3 rows of a filled source with the same schema.
      const seed = writeProject(join(dir, 'seed'), destinations(kind, join(project.dir, 'filled'), 'replace'));
      const seeded = await floe(['egress', 'run', '--spec', seed, '--json'], { env: urls() });
      expect(seeded.stderr).toBe('');
      expect(seeded.code).toBe(0);
      for (const dialect of DIALECTS) {
        expect(await tableOf(dialect, `t_${kind.replace('-', '_')}_replace`)).toEqual({ columns: COLUMNS, rows: 3 });
      }

      const spec = writeProject(dir, destinations(kind, source));
      const run = await floe(['egress', 'run', '--spec', spec, '--json'], { env: urls() });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      for (const dialect of DIALECTS) {
        for (const disposition of DISPOSITIONS) {
          const table = `t_${kind.replace('-', '_')}_${disposition}`;
          expect({ [`${dialect} ${disposition}`]: await tableOf(dialect, table) }).toEqual({
            [`${dialect} ${disposition}`]: { columns: COLUMNS, rows: 0 },
          });
        }
      }
      expect(api.requests.filter((request) => request.url === `/${kind}`)).toEqual([]);

      const saved = Object.values(receipts(join(dir, '.floe')));
      expect(saved).toHaveLength(DIALECTS.length * DISPOSITIONS.length + 1);
      for (const receipt of saved) {
        expect(receipt).toMatchObject({ status: 'delivered', exitCode: 0, source: { rows: 0 } });
        expect(receipt.receipt).toMatchObject({ success: true, rowsDelivered: 0, rowsRejected: 0, errors: [] });
      }
    }, 120_000);
  }
});
