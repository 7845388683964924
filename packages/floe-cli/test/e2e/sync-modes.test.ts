import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createMysqlDatabase, createPgSchema, type MysqlTestDatabase, type PgTestSchema } from '@floe/test-harness';
import { FIXTURES, floe, lakehouseRows, receipts, sorted, tempDir, writeProject } from './helpers.js';
import { SyncModel, type ModelMode, type TextRow } from './support/sync-model.js';

/** The slice of better-sqlite3 this test uses (the package ships no types here). */
interface SqliteDatabase {
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string,
  options: { readonly: boolean },
) => SqliteDatabase;

/**
 * A real table's history, from its own metadata versions (duckdb-iceberg's `equality_deletes` fixture): v1 has
 * no snapshot, v2 appends 4 rows, v4 and v5 delete rows with equality deletes, v6 appends, v7 deletes again
 * (v3's manifest list is missing from the fixture: it is skipped).
 */
const TABLE = join(FIXTURES, 'duckdb-iceberg/equality_deletes/warehouse/mydb/mytable');
const VERSIONS = [1, 2, 4, 5, 6, 7] as const;
const DIALECTS = ['pg', 'mariadb', 'sqlite'] as const;
const MODES: readonly ModelMode[] = ['append', 'insert', 'update', 'upsert', 'mirror'];

const metadata = (version: number): string => join(TABLE, 'metadata', `v${version}.metadata.json`);

/** A date as `YYYY-MM-DD` whatever form a database or the reader gives it. */
function day(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return new Date(value).toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

function textRow(row: Record<string, unknown>): TextRow {
  return {
    id: row.id === null || row.id === undefined ? null : String(row.id),
    name: row.name === null || row.name === undefined ? null : String(row.name),
    bir: day(row.bir),
  };
}

/**
 * Sync modes end to end (issue 15): each version of a real multi-snapshot table is synced in turn, in every mode,
 * into PostgreSQL, MariaDB and SQLite. After each run the destination holds what the mode promises and the run
 * sent exactly the true difference between the versions — both computed from full reads of the versions by a
 * model that shares no code with the diff.
 */
describe('floe egress run in every sync mode, version after version', () => {
  let pg: PgTestSchema;
  let my: MysqlTestDatabase;
  let project: { dir: string; cleanup: () => void };
  const versionRows = new Map<number, TextRow[]>();

  beforeAll(async () => {
    pg = await createPgSchema('floe_sync');
    my = await createMysqlDatabase('floe_sync');
    project = tempDir('floe-sync-');
    for (const version of VERSIONS) versionRows.set(version, (await lakehouseRows(metadata(version))).map(textRow));
  });
  afterAll(async () => {
    await pg.drop();
    await my.drop();
    project.cleanup();
  });

  const sqliteFile = (): string => join(project.dir, 'sync.db');
  const env = (): Record<string, string> => ({
    FLOE_SECRET_PG_URL: pg.url,
    FLOE_SECRET_MARIADB_URL: my.url,
    FLOE_SECRET_SQLITE_URL: `sqlite:${sqliteFile()}`,
  });
  const tableName = (mode: string): string => `t_${mode}`;

  async function destinationRows(dialect: (typeof DIALECTS)[number], table: string): Promise<TextRow[]> {
    if (dialect === 'pg') {
      const rows = await pg.query<Record<string, unknown>>(
        `SELECT id::text AS id, name, bir::text AS bir FROM "${pg.schema}"."${table}"`,
      );
      return rows.map(textRow);
    }
    if (dialect === 'mariadb') {
      const rows = await my.query<Record<string, unknown>>(
        `SELECT CAST(id AS CHAR) AS id, name, CAST(bir AS CHAR) AS bir FROM \`${table}\``,
      );
      return rows.map(textRow);
    }
    const db = new Database(sqliteFile(), { readonly: true });
    try {
      return (db.prepare(`SELECT id, name, bir FROM "${table}"`).all() as Record<string, unknown>[]).map(textRow);
    } finally {
      db.close();
    }
  }

  function destinations(version: number, mode: ModelMode | 'seed-update', suffix = ''): Record<string, unknown>[] {
    return DIALECTS.map((dialect) => {
      const sync = mode === 'seed-update' ? 'upsert' : mode;
      const name = `${dialect}-${mode === 'seed-update' ? 'update' : mode}${suffix}`;
      return {
        name,
        sink_type: 'sql_database',
        connection_secret_ref: dialect,
        source_table: metadata(version),
        batch_size: 2,
        ...(sync !== 'append' && { primary_key: ['id'] }),
        sync: { mode: sync, ...(sync === 'mirror' && { max_delete_fraction: 1 }) },
        config: {
          table: `${dialect === 'pg' ? `${pg.schema}.` : ''}${tableName(mode === 'seed-update' ? 'update' : mode)}${suffix}`,
        },
      };
    });
  }

  /**
   * The path each run takes: v1 has no snapshot and v2 follows a state built from no snapshot (every row read);
   * from v4 on the fast path reads only the changed files — but the first update run after the upsert that seeded
   * it diffs in full (the mode is part of what fixes the fingerprints).
   */
  function expectedPath(mode: ModelMode, version: number): string {
    if (version <= 2) return mode === 'append' ? 'all-rows' : 'full-scan';
    return mode === 'update' && version === 4 ? 'full-scan' : 'incremental';
  }

  it('each run sends exactly the changes and every destination holds what its mode promises', async () => {
    // One project holding every mode × every database: one run per version syncs them all.
    const dir = join(project.dir, 'modes');
    const models = new Map(MODES.map((mode) => [mode, new SyncModel(mode, ['id'])]));
    let seeded = false;
    for (const version of VERSIONS) {
      const rows = versionRows.get(version) ?? [];
      // update only updates records that were synced: the first version with rows is synced by upsert first.
      const seeding = !seeded && rows.length > 0;
      const spec = writeProject(
        dir,
        MODES.flatMap((mode) => destinations(version, mode === 'update' && seeding ? 'seed-update' : mode)),
      );
      const run = await floe(['egress', 'run', '--spec', spec, '--json'], { env: env() });
      expect({ version, stderr: run.stderr, code: run.code }).toEqual({ version, stderr: '', code: 0 });
      const runId = run.events.find((event) => event.event === 'run.started')?.runId as string;
      const saved = receipts(join(dir, '.floe'));
      for (const mode of MODES) {
        const model = models.get(mode)!;
        const expected = mode === 'update' && seeding ? (model.seed(rows), undefined) : model.step(rows);
        for (const dialect of DIALECTS) {
          const name = `${dialect}-${mode}`;
          const receipt = saved[`${runId}/${name}`];
          if (expected !== undefined) {
            expect({ version, name, sync: receipt?.sync }).toMatchObject({
              version,
              name,
              sync: { ...expected, path: expectedPath(mode, version) },
            });
          }
          expect({ version, name, rows: sorted(await destinationRows(dialect, tableName(mode))) }).toEqual({
            version,
            name,
            rows: sorted(model.rows()),
          });
        }
      }
      if (rows.length > 0) seeded = true;
    }
  }, 240_000);

  it('a second run of a snapshot already synced sends nothing and says so', async () => {
    const dir = join(project.dir, 'again');
    const spec = writeProject(dir, destinations(6, 'upsert', '_again'));
    const firstRun = await floe(['egress', 'run', '--spec', spec, '--json'], { env: env() });
    expect(firstRun.code).toBe(0);
    const again = await floe(['egress', 'run', '--spec', spec, '--json'], { env: env() });
    expect(again.code).toBe(0);
    const runId = again.events.find((event) => event.event === 'run.started')?.runId as string;
    const saved = receipts(join(dir, '.floe'));
    for (const dialect of DIALECTS) {
      const receipt = saved[`${runId}/${dialect}-upsert_again`];
      expect(receipt?.sync).toMatchObject({ path: 'incremental', inserts: 0, updates: 0, deletes: 0 });
      expect(receipt?.receipt).toMatchObject({ rowsDelivered: 0 });
    }
  }, 120_000);
});
