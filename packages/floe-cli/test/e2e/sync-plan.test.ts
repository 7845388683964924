import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createPgSchema, startHttpTarget, type HttpTarget, type PgTestSchema } from '@floe/test-harness';
import { floe, receipts, tempDir, writeProject } from './helpers.js';
import { GeneratedTable, generatedRows } from './support/generated-table.js';
import { Database } from './support/sync-destinations.js';
import { SyncModel } from './support/sync-model.js';
import { textRowOf } from './support/sync-destinations.js';

const TOKEN = 'plan-token';
const COLUMNS = ['id', 'name', 'amount'];

/** Every table of a SQLite file and its rows, sorted: what "untouched" compares. */
function sqliteDump(file: string): Record<string, string[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as {
      name: string;
    }[];
    return Object.fromEntries(
      tables.map(({ name }) => [
        name,
        (db.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((row) => JSON.stringify(row)).sort(),
      ]),
    );
  } finally {
    db.close();
  }
}

/** The `sync.changes` of each destination of a `plan --json`, by name. */
function planned(stdout: string): Record<string, Record<string, unknown> | null> {
  const doc = JSON.parse(stdout) as { destinations: { name: string; sync: { changes: Record<string, unknown> } }[] };
  return Object.fromEntries(doc.destinations.map((d) => [d.name, d.sync.changes]));
}

/**
 * `floe egress plan` of sync destinations (issue 15): before anything is sent it says which path the next run
 * takes, why, and how many inserts, updates, deletes and unchanged rows it will send — the counts the run then
 * sends — and it writes nothing: no state store, no destination file or table, not one request.
 */
describe('floe egress plan of a sync destination', () => {
  let target: HttpTarget;
  let pg: PgTestSchema;
  let root: { dir: string; cleanup: () => void };
  /** A PostgreSQL schema that does not exist until the first run creates it. */
  const fresh = (): string => `${pg.schema}_new`;

  beforeAll(async () => {
    target = await startHttpTarget(() => ({ status: 200, body: {} }));
    pg = await createPgSchema('floe_sync_plan');
    root = tempDir('floe-sync-plan-');
  });
  afterAll(async () => {
    await target.close();
    await pg.query(`DROP SCHEMA IF EXISTS "${fresh()}" CASCADE`);
    await pg.drop();
    root.cleanup();
  });
  const schemaExists = async (): Promise<boolean> =>
    (await pg.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [fresh()])).length > 0;

  it('shows the path, the reason and the counts before anything is sent, and writes nothing', async () => {
    const table = await GeneratedTable.create(join(root.dir, 'gold'), generatedRows(0, 200), 2);
    const dir = join(root.dir, 'project');
    const sqliteFile = join(dir, 'sync.db');
    const stateStore = join(dir, '.floe', 'state.db');
    const env = {
      FLOE_SECRET_LITE_URL: `sqlite:${sqliteFile}`,
      FLOE_SECRET_PG_URL: pg.url,
      FLOE_SECRET_CRM_API_TOKEN: TOKEN,
    };
    const spec = (): string =>
      writeProject(dir, [
        {
          name: 'lite',
          sink_type: 'sql_database',
          connection_secret_ref: 'lite',
          source_table: table.metadata,
          batch_size: 50,
          primary_key: ['id'],
          sync: { mode: 'mirror', max_delete_fraction: 1 },
          config: { table: 'items' },
        },
        {
          name: 'pg',
          sink_type: 'sql_database',
          connection_secret_ref: 'pg',
          source_table: table.metadata,
          batch_size: 50,
          primary_key: ['id'],
          sync: { mode: 'upsert' },
          config: { table: `${fresh()}.items` },
        },
        {
          name: 'api',
          sink_type: 'rest_api',
          connection_secret_ref: 'crm-api',
          source_table: table.metadata,
          batch_size: 50,
          primary_key: ['id'],
          sync: { mode: 'upsert' },
          config: { url: `${target.url}/items` },
        },
      ]);
    const models = {
      lite: new SyncModel('mirror', ['id']),
      pg: new SyncModel('upsert', ['id']),
      api: new SyncModel('upsert', ['id']),
    };
    const rowsNow = () => table.rows().map((row) => textRowOf(row as unknown as Record<string, unknown>, COLUMNS));

    // Before the first run: every row would be an insert; nothing exists afterwards.
    const first = await floe(['egress', 'plan', '--spec', spec(), '--json'], { env });
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    const firstCounts = { path: 'full-scan', reason: expect.stringMatching(/^no sync state yet \(first run\)/) };
    expect(planned(first.stdout)).toEqual({
      lite: expect.objectContaining({ ...firstCounts, inserts: 200, updates: 0, deletes: 0, unchanged: 0 }),
      pg: expect.objectContaining({ ...firstCounts, inserts: 200, updates: 0, deletes: 0, unchanged: 0 }),
      api: expect.objectContaining({ ...firstCounts, inserts: 200, updates: 0, deletes: 0, unchanged: 0 }),
    });
    expect({
      sqlite: existsSync(sqliteFile),
      state: existsSync(join(dir, '.floe')),
      pgSchema: await schemaExists(),
    }).toEqual({ sqlite: false, state: false, pgSchema: false });
    expect(target.requests).toHaveLength(0);
    const run = await floe(['egress', 'run', '--spec', spec(), '--json'], { env });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    models.lite.step(rowsNow());
    models.pg.step(rowsNow());
    models.api.step(rowsNow());

    // Version 2: file 0 rewritten (every 10th row deleted, every 7th updated), 7 rows appended.
    await table.rewrite(0, (rows) =>
      rows
        .filter((row) => (row.id ?? 0) % 10 !== 0)
        .map((row) => ((row.id ?? 0) % 7 === 0 ? { ...row, name: `changed ${row.id}` } : row)),
    );
    await table.append(generatedRows(500, 7));
    const expected = {
      lite: models.lite.step(rowsNow()),
      pg: models.pg.step(rowsNow()),
      api: models.api.step(rowsNow()),
    };
    const pgDump = async (): Promise<unknown> => {
      const tables = await pg.query<{ t: string }>(
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
        [fresh()],
      );
      const out: Record<string, string[]> = {};
      for (const { t } of tables)
        out[t] = (await pg.query(`SELECT * FROM "${fresh()}"."${t}"`)).map((row) => JSON.stringify(row)).sort();
      return out;
    };
    const pgBefore = await pgDump();
    const destinationBefore = sqliteDump(sqliteFile);
    const stateBefore = sqliteDump(stateStore);
    const requestsBefore = target.requests.length;

    const human = await floe(['egress', 'plan', '--spec', spec()], { env });
    expect({ code: human.code, stderr: human.stderr }).toEqual({ code: 0, stderr: '' });
    const line = (mode: string, e: { inserts: number; updates: number; deletes: number }, unchanged: number) =>
      new RegExp(
        `sync: +${mode}, incremental \\(snapshot \\d+ descends from \\d+: [^)]*\\): ${e.inserts} inserts, ${e.updates} updates, ${e.deletes} deletes?, ${unchanged} unchanged, primary key id`,
      );
    // The fast path counts as unchanged the rows it read (file 0's) and found the same — not the files it skipped.
    const unchanged = 100 - 10 - expected.lite.updates;
    expect(human.stdout).toMatch(line('mirror', expected.lite, unchanged));
    expect(human.stdout).toMatch(line('upsert', expected.api, unchanged));
    expect(human.stdout).toContain('Nothing was written.');

    const json = await floe(['egress', 'plan', '--spec', spec(), '--json'], { env });
    expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 0, stderr: '' });
    const plan = planned(json.stdout);
    expect(plan).toEqual({
      lite: expect.objectContaining({ path: 'incremental', ...expected.lite, unchanged }),
      pg: expect.objectContaining({ path: 'incremental', ...expected.pg, unchanged }),
      api: expect.objectContaining({ path: 'incremental', ...expected.api, unchanged }),
    });

    // Nothing was written: the destination's tables (its rows, ledger and sync state), the state store, the API.
    expect(sqliteDump(sqliteFile)).toEqual(destinationBefore);
    expect(await pgDump()).toEqual(pgBefore);
    expect(sqliteDump(stateStore)).toEqual(stateBefore);
    expect(target.requests).toHaveLength(requestsBefore);

    // The run sends what the plan said.
    const next = await floe(['egress', 'run', '--spec', spec(), '--json'], { env });
    expect({ code: next.code, stderr: next.stderr }).toEqual({ code: 0, stderr: '' });
    const runId = next.events.find((event) => event.event === 'run.started')?.runId as string;
    const saved = receipts(join(dir, '.floe'));
    for (const name of ['lite', 'pg', 'api'] as const) {
      const { path, reason, inserts, updates, deletes } = plan[name] as Record<string, unknown>;
      expect({ name, sync: saved[`${runId}/${name}`]?.sync }).toMatchObject({
        name,
        sync: { path, reason, inserts, updates, deletes, unchanged },
      });
    }
  }, 180_000);
});
