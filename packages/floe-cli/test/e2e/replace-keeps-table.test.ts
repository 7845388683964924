import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createMysqlDatabase, createPgSchema, type MysqlTestDatabase, type PgTestSchema } from '@floe/test-harness';
import { startCli } from '../fault/support/cli-process.js';
import { writeSourceTable, type SourceRow } from '../fault/support/source-table.js';
import { floe, tempDir, writeProject } from './helpers.js';

const ROWS = 60_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `replace` (issue 13 §6): on PostgreSQL the replaced table keeps its owner, its GRANTs, its comments and its
 * index names; and the new tables of replace loads killed before their swap are removed by the next run of that
 * destination (PostgreSQL and MariaDB), which ends with the table equal to the source.
 */
describe('floe egress run replace', () => {
  let pg: PgTestSchema;
  let my: MysqlTestDatabase;
  let project: { dir: string; cleanup: () => void };
  let source: SourceRow[];
  const tag = randomBytes(3).toString('hex');
  const reader = `floe_reader_${tag}`;
  const owner = `floe_owner_${tag}`;
  const gold = (): string => join(project.dir, 'gold');

  beforeAll(async () => {
    pg = await createPgSchema('floe_replace');
    my = await createMysqlDatabase('floe_replace');
    project = tempDir('floe-replace-');
    source = await writeSourceTable(gold(), ROWS);
    await pg.query(`CREATE ROLE ${reader}`);
    await pg.query(`CREATE ROLE ${owner}`);
    await pg.query(`GRANT USAGE, CREATE ON SCHEMA "${pg.schema}" TO ${owner}`);
  }, 60_000);
  afterAll(async () => {
    await pg.query(`DROP SCHEMA IF EXISTS "${pg.schema}" CASCADE`);
    await pg.query(`DROP ROLE IF EXISTS ${reader}`);
    await pg.query(`DROP ROLE IF EXISTS ${owner}`);
    await pg.drop();
    await my.drop();
    project.cleanup();
  });

  function spec(dir: string, name: string, table: string): string {
    return writeProject(dir, [
      {
        name,
        sink_type: 'sql_database',
        connection_secret_ref: 'dw',
        source_table: gold(),
        batch_size: 1_000,
        config: { table, write_disposition: 'replace' },
      },
    ]);
  }

  async function pgRows(table: string): Promise<SourceRow[]> {
    return pg.query<SourceRow>(`SELECT id::int AS id, name, amount FROM "${pg.schema}"."${table}" ORDER BY id`);
  }

  it('keeps the owner, privileges, comments and index names of the PostgreSQL table it replaces', async () => {
    const file = spec(join(project.dir, 'keep'), 'keep', `${pg.schema}.t_rep`);
    const env = { FLOE_SECRET_DW_URL: pg.url };
    expect((await floe(['egress', 'run', '--spec', file, '--json'], { env })).code).toBe(0);
    const t = `"${pg.schema}".t_rep`;
    await pg.query(`CREATE INDEX t_rep_name ON ${t} (name)`);
    await pg.query(`CREATE UNIQUE INDEX t_rep_id_key ON ${t} (id)`);
    await pg.query(`COMMENT ON TABLE ${t} IS 'customers, refreshed nightly'`);
    await pg.query(`COMMENT ON COLUMN ${t}.amount IS 'in EUR'`);
    await pg.query(`GRANT SELECT ON ${t} TO ${reader}`);
    await pg.query(`GRANT SELECT, INSERT ON ${t} TO PUBLIC`);
    await pg.query(`ALTER TABLE ${t} OWNER TO ${owner}`);
    const describe = async (): Promise<unknown> => ({
      owner: (await pg.query(`SELECT pg_get_userbyid(relowner) AS o FROM pg_class WHERE oid = '${t}'::regclass`))[0],
      acl: (
        await pg.query<{ grantee: string; privilege_type: string }>(
          `SELECT coalesce(pg_get_userbyid(nullif(a.grantee, 0)), 'PUBLIC') AS grantee, a.privilege_type
             FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = '${t}'::regclass ORDER BY 1, 2`,
        )
      ).map((row) => `${row.grantee}:${row.privilege_type}`),
      indexes: (
        await pg.query<{ indexname: string; d: string }>(
          `SELECT indexname, regexp_replace(indexdef, '^.* USING ', '') AS d FROM pg_indexes
            WHERE schemaname = $1 AND tablename = 't_rep' ORDER BY 1`,
          [pg.schema],
        )
      ).map((row) => `${row.indexname} ${row.d}`),
      comment: (await pg.query(`SELECT obj_description('${t}'::regclass, 'pg_class') AS c`))[0],
      columnComment: (await pg.query(`SELECT col_description('${t}'::regclass, 3) AS c`))[0],
    });
    const before = await describe();
    expect(before).toMatchObject({ owner: { o: owner }, comment: { c: 'customers, refreshed nightly' } });

    const run = await floe(['egress', 'run', '--spec', file, '--json'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await describe()).toEqual(before);
    expect(await pgRows('t_rep')).toEqual(source);
  }, 120_000);

  const killTargets = [
    {
      name: 'pg',
      url: () => pg.url,
      table: () => `${pg.schema}.t_killed`,
      leftovers: async () =>
        (
          await pg.query<{ t: string }>(
            `SELECT tablename AS t FROM pg_tables WHERE schemaname = $1 AND tablename LIKE 't\\_killed\\_\\_floe\\_new\\_%'`,
            [pg.schema],
          )
        ).map((row) => row.t),
      rows: () => pgRows('t_killed'),
      // Holds a share lock on the target: the load runs, its swap (ACCESS EXCLUSIVE) waits until released.
      hold: async () => {
        const client = await pg.pool.connect();
        await client.query('BEGIN');
        await client.query(`LOCK TABLE "${pg.schema}".t_killed IN ACCESS SHARE MODE`);
        return {
          swapWaiting: async () =>
            (
              await pg.query<{ n: number }>(
                'SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = $1::regclass',
                [`"${pg.schema}".t_killed`],
              )
            )[0]?.n !== 0,
          release: async () => {
            await client.query('COMMIT');
            client.release();
          },
        };
      },
    },
    {
      name: 'mariadb',
      url: () => my.url,
      table: () => 't_killed',
      leftovers: async () =>
        (
          await my.query<{ t: string }>(
            `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE 't\\_killed\\_\\_floe\\_new\\_%'`,
            [my.database],
          )
        ).map((row) => row.t),
      rows: async () =>
        (await my.query<SourceRow>('SELECT id, name, amount FROM t_killed ORDER BY id')).map((row) => ({
          id: Number(row.id),
          name: row.name,
          amount: Number(row.amount),
        })),
      // Holds a shared metadata lock on the target (an open transaction that read it): the swap (RENAME) waits.
      hold: async () => {
        await my.query('START TRANSACTION');
        await my.query('SELECT id FROM t_killed LIMIT 1');
        return {
          swapWaiting: async () =>
            Number(
              (
                await my.query<{ n: number }>(
                  "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for table metadata lock%' AND DB = ?",
                  [my.database],
                )
              )[0]?.n,
            ) > 0,
          release: async () => {
            await my.query('COMMIT');
          },
        };
      },
    },
  ];

  for (const target of killTargets) {
    it(`removes the new tables of killed replace loads on the next run (${target.name})`, async () => {
      const dir = join(project.dir, `killed-${target.name}`);
      const file = spec(dir, `killed-${target.name}`, target.table());
      const env = { FLOE_SECRET_DW_URL: target.url() };
      const args = ['egress', 'run', '--spec', file, '--json'];
      // The target exists (a first, complete run), so each later load ends by swapping its new table in.
      expect((await floe(args, { env, cwd: dir })).code).toBe(0);
      // Each killed load leaves its new table; the next run drops it (and, killed too, leaves its own). The kill is
      // deterministic: the test holds a lock that lets the load fill its new table but makes its swap wait, and kills
      // the CLI while it waits.
      const left: string[][] = [];
      for (let kill = 0; kill < 2; kill++) {
        const hold = await target.hold();
        const cli = startCli(args, env, dir);
        try {
          while (!cli.done() && !(await hold.swapWaiting())) await sleep(20);
          expect(cli.done()).toBe(false);
          cli.child.kill('SIGKILL');
          await cli.exited;
        } finally {
          await hold.release();
        }
        left.push(await target.leftovers());
      }
      expect(left[0]).toHaveLength(1);
      expect(left[1]).toHaveLength(1);
      expect(left[1]).not.toEqual(left[0]);

      const run = await floe(args, { env, cwd: dir });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(await target.leftovers()).toEqual([]);
      expect(await target.rows()).toEqual(source);
    }, 120_000);
  }
});
