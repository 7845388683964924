import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createMysqlDatabase, createPgSchema, type MysqlTestDatabase, type PgTestSchema } from '@floe/test-harness';
import { tempDir, writeProject } from '../e2e/helpers.js';
import { killAt, runCli, startCli } from './support/cli-process.js';
import { writeSourceTable } from './support/source-table.js';

/** The slice of better-sqlite3 this test uses (the package ships no types here). */
interface SqliteDatabase {
  prepare(sql: string): { all(...bindings: unknown[]): unknown[] };
  exec(sql: string): void;
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string,
  options?: { readonly readonly?: boolean; readonly fileMustExist?: boolean },
) => SqliteDatabase;

/** Runs `use` on the SQLite file `file`, opened for it alone (the CLI holds no connection between runs). */
function withSqlite<T>(file: string, use: (db: SqliteDatabase) => T): T {
  const db = new Database(file, { fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const ROWS = 6_000;
const BATCH_SIZE = 200;

/** How one engine is driven: its URL, the table names, and SQL to count and to tamper. */
interface Engine {
  readonly name: string;
  readonly url: () => string;
  readonly table: (name: string) => string;
  readonly ledgerTable: (name: string) => string;
  readonly exec: (sql: string) => Promise<unknown>;
  readonly count: (sql: string) => Promise<number>;
  /** Drops the table and creates it again with the same DDL and rows (the SQLite way to change a column). */
  readonly recreate?: (table: string) => Promise<void>;
}

/**
 * The ledger lives beside the table it describes, and an operator can change one without the other. Kill an
 * append mid-run, then (a) drop or (b) truncate the target table, or (c) drop `_floe_ledger` and `_floe_runs`,
 * and rerun: before, every case exited 0 (the receipt claiming rows the table no longer held, or a new run
 * duplicating what was delivered). On SQLite (no table comments, the marker is a trigger on the table) the
 * ledger-dropped case and a table dropped and created again with all its rows, which only the marker can tell. Now the rerun refuses (exit 3, nothing written) saying what changed and that
 * `--restart` starts over; `--restart` then delivers.
 */
describe('a rerun whose destination and ledger are out of step', () => {
  let pg: PgTestSchema;
  let my: MysqlTestDatabase;
  let project: { dir: string; cleanup: () => void };
  const gold = (): string => join(project.dir, 'gold');
  const sqliteFile = (): string => join(project.dir, 'drift.db');

  beforeAll(async () => {
    pg = await createPgSchema('floe_drift');
    my = await createMysqlDatabase('floe_drift');
    project = tempDir('floe-drift-');
    await writeSourceTable(gold(), ROWS);
  });
  afterAll(async () => {
    await pg.drop();
    await my.drop();
    project.cleanup();
  });

  const engines = (): Engine[] => [
    {
      name: 'postgres',
      url: () => pg.url,
      table: (name) => `"${pg.schema}"."${name}"`,
      ledgerTable: (name) => `"${pg.schema}".${name}`,
      exec: (sql) => pg.query(sql),
      count: async (sql) => Number((await pg.query<{ n: number }>(sql))[0]?.n ?? 0),
    },
    {
      name: 'mariadb',
      url: () => my.url,
      table: (name) => `\`${name}\``,
      ledgerTable: (name) => name,
      exec: (sql) => my.query(sql),
      count: async (sql) => Number((await my.query<{ n: number }>(sql))[0]?.n ?? 0),
    },
    {
      name: 'sqlite',
      url: () => `sqlite:${sqliteFile()}`,
      table: (name) => `"${name}"`,
      ledgerTable: (name) => name,
      exec: async (sql) => withSqlite(sqliteFile(), (db) => db.exec(sql)),
      count: async (sql) =>
        withSqlite(sqliteFile(), (db) => Number((db.prepare(sql).all()[0] as { n?: number } | undefined)?.n ?? 0)),
      recreate: async (table) =>
        withSqlite(sqliteFile(), (db) => {
          const [found] = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).all(table) as {
            sql: string;
          }[];
          db.exec(
            `ALTER TABLE "${table}" RENAME TO "${table}_old"; ${String(found?.sql)}; ` +
              `INSERT INTO "${table}" SELECT * FROM "${table}_old"; DROP TABLE "${table}_old"`,
          );
        }),
    },
  ];

  const drifts = {
    dropped: {
      engines: ['postgres', 'mariadb'],
      change: (e: Engine, table: string) => e.exec(`DROP TABLE ${e.table(table)}`),
      message: /no longer exists \(dropped\?\) but run \S+ recorded \d+ rows delivered into it/,
    },
    truncated: {
      engines: ['postgres', 'mariadb'],
      change: (e: Engine, table: string) => e.exec(`TRUNCATE TABLE ${e.table(table)}`),
      message: /holds 0 rows but run \S+ recorded \d+ rows delivered into it \(truncated, or rows deleted\?\)/,
    },
    'ledger dropped': {
      engines: ['postgres', 'mariadb', 'sqlite'],
      change: async (e: Engine) => {
        await e.exec(`DROP TABLE ${e.ledgerTable('_floe_ledger')}`);
        await e.exec(`DROP TABLE ${e.ledgerTable('_floe_runs')}`);
      },
      message:
        /was written by run \S+ of "\S+" \((?:its comment|its trigger "_floe_marker__\S+") says so\), but .* has no run of "\S+" \(were _floe_runs \/ _floe_ledger dropped or emptied\?\)/,
    },
    recreated: {
      engines: ['sqlite'],
      change: (e: Engine, table: string) => (e.recreate as (table: string) => Promise<void>)(table),
      message:
        /does not carry the marker of run \S+ in its trigger "_floe_marker__\S+" \(dropped and created again\?\) but run \S+ recorded \d+ rows delivered into it/,
    },
  } as const;

  for (const engine of ['postgres', 'mariadb', 'sqlite']) {
    for (const drift of (Object.keys(drifts) as (keyof typeof drifts)[]).filter((d) =>
      (drifts[d].engines as readonly string[]).includes(engine),
    )) {
      it(`refuses to resume an append into ${engine} whose target was ${drift} (exit 3), and --restart delivers`, async () => {
        const e = engines().find((x) => x.name === engine) as Engine;
        const name = `${engine}-${drift.replace(' ', '-')}`;
        const table = `drift_${name.replace(/-/g, '_')}`;
        const dir = join(project.dir, name);
        const spec = writeProject(dir, [
          {
            name,
            sink_type: 'sql_database',
            connection_secret_ref: 'dw',
            source_table: gold(),
            batch_size: BATCH_SIZE,
            config: {
              table: engine === 'postgres' ? `${pg.schema}.${table}` : table,
              write_disposition: 'append',
            },
          },
        ]);
        const env = { FLOE_SECRET_DW_URL: e.url() };
        const args = ['egress', 'run', '--spec', spec, '--json'];
        const committed = async (): Promise<number> => {
          try {
            return await e.count(
              `SELECT count(*) AS n FROM ${e.ledgerTable('_floe_ledger')} WHERE state = 'committed' AND run_id LIKE '%/${name}'`,
            );
          } catch {
            return 0;
          }
        };
        const kill = await killAt(startCli(args, env, dir), { committed, target: 5, jitterMs: 0 });
        expect(kill.midRun).toBe(true);
        await drifts[drift].change(e, table);

        const refused = await runCli(args, env, dir);
        expect(refused.code).toBe(3);
        const problems = refused.events.map((event) => String(event.message ?? '')).join('\n');
        expect(problems).toMatch(drifts[drift].message);
        expect(problems).toMatch(
          /the destination is not the one its ledger describes: .*; check the table, then pass --restart/,
        );
        expect(refused.events.some((event) => event.event === 'receipt')).toBe(false);

        const restarted = await runCli([...args, '--restart'], env, dir);
        expect(restarted.stderr()).toBe('');
        expect(restarted.code).toBe(0);
        if (drift === 'dropped') expect(await e.count(`SELECT count(*) AS n FROM ${e.table(table)}`)).toBe(ROWS);
      }, 90_000);
    }
  }

  it('still resumes an append that was only killed (the marker and the rows agree)', async () => {
    const e = engines()[0] as Engine;
    const name = 'postgres-killed';
    const dir = join(project.dir, name);
    const spec = writeProject(dir, [
      {
        name,
        sink_type: 'sql_database',
        connection_secret_ref: 'dw',
        source_table: gold(),
        batch_size: BATCH_SIZE,
        config: { table: `${pg.schema}.drift_killed`, write_disposition: 'append' },
      },
    ]);
    await pg.query(`CREATE TABLE "${pg.schema}".drift_killed (id bigint, name text, amount double precision)`);
    await pg.query(`COMMENT ON TABLE "${pg.schema}".drift_killed IS 'owned by the CRM team'`);
    const env = { FLOE_SECRET_DW_URL: e.url() };
    const args = ['egress', 'run', '--spec', spec, '--json'];
    const committed = (): Promise<number> =>
      e
        .count(
          `SELECT count(*) AS n FROM "${pg.schema}"._floe_ledger WHERE state = 'committed' AND run_id LIKE '%/${name}'`,
        )
        .catch(() => 0);
    await killAt(startCli(args, env, dir), { committed, target: 5, jitterMs: 0 });
    const resumed = await runCli(args, env, dir);
    expect(resumed.stderr()).toBe('');
    expect(resumed.code).toBe(0);
    expect(await e.count(`SELECT count(*) AS n FROM "${pg.schema}".drift_killed`)).toBe(ROWS);
    // The user's comment is kept beside the marker.
    const comment = await pg.query<{ c: string }>(
      `SELECT obj_description('"${pg.schema}".drift_killed'::regclass, 'pg_class') AS c`,
    );
    expect(comment[0]?.c).toMatch(/^owned by the CRM team \[floe-ledger destination="postgres-killed" run="\S+"\]$/);
  }, 90_000);
  it('still resumes a SQLite append that was only killed (its marker trigger names the run)', async () => {
    const e = engines().find((x) => x.name === 'sqlite') as Engine;
    const name = 'sqlite-killed';
    const dir = join(project.dir, name);
    const spec = writeProject(dir, [
      {
        name,
        sink_type: 'sql_database',
        connection_secret_ref: 'dw',
        source_table: gold(),
        batch_size: BATCH_SIZE,
        config: { table: 'drift_sqlite_killed', write_disposition: 'append' },
      },
    ]);
    const env = { FLOE_SECRET_DW_URL: e.url() };
    const args = ['egress', 'run', '--spec', spec, '--json'];
    const committed = (): Promise<number> =>
      e
        .count(`SELECT count(*) AS n FROM _floe_ledger WHERE state = 'committed' AND run_id LIKE '%/${name}'`)
        .catch(() => 0);
    const kill = await killAt(startCli(args, env, dir), { committed, target: 5, jitterMs: 0 });
    expect(kill.midRun).toBe(true);
    const resumed = await runCli(args, env, dir);
    expect(resumed.stderr()).toBe('');
    expect(resumed.code).toBe(0);
    expect(await e.count('SELECT count(*) AS n FROM "drift_sqlite_killed"')).toBe(ROWS);
    const triggers = withSqlite(sqliteFile(), (db) =>
      db
        .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'drift_sqlite_killed'`)
        .all(),
    ) as { name: string; sql: string }[];
    expect(triggers.map((t) => t.name)).toEqual(['_floe_marker__drift_sqlite_killed']);
    expect(triggers[0]?.sql).toMatch(/\[floe-ledger destination="sqlite-killed" run="\S+"\]/);
  }, 90_000);
});
