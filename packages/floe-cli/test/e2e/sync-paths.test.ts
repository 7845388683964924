import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPgSchema, type PgTestSchema } from '@floe/test-harness';
import { floe, jsonLines, lakehouseRows, receipts, sorted, tempDir, writeProject, type FloeRun } from './helpers.js';
import { GeneratedTable, generatedRows } from './support/generated-table.js';
import { Database, pgRows, sqliteRows, textRowOf } from './support/sync-destinations.js';
import { SyncModel } from './support/sync-model.js';

/** Rows of the first version, in 3 data files. */
const ROWS = 6_000;

/** The two projects run side by side: default flags (the fast path where it applies) and `--full-scan`. */
const FLAVOURS = ['fast', 'full'] as const;
type Flavour = (typeof FLAVOURS)[number];

/** The destinations of each project: mode, database. */
const TARGETS = [
  { name: 'lite_upsert', mode: 'upsert', db: 'sqlite' },
  { name: 'lite_mirror', mode: 'mirror', db: 'sqlite' },
  { name: 'pg_mirror', mode: 'mirror', db: 'pg' },
] as const;

/** One receipt's `sync` member. */
interface SyncReceipt {
  readonly path: string;
  readonly reason: string;
  readonly inserts: number;
  readonly updates: number;
  readonly deletes: number;
  readonly bytesRead?: number;
}

/**
 * The fast path and the full-scan path of a sync diff (issue 15) on generated tables: each version — an append, a
 * copy-on-write rewrite (updates and deletes), position deletes, equality deletes, a new nullable column, expired
 * snapshots — is synced by two projects, one with default flags and one with `--full-scan`, into SQLite and
 * PostgreSQL. Both must send the same changes, equal to a model computed from the rows the versions hold, and
 * leave identical destinations; the default run takes the fast path where the history can tell and reads less.
 */
describe('floe egress run sync: the fast path and the full-scan path agree', () => {
  let pg: PgTestSchema;
  let root: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    pg = await createPgSchema('floe_sync_paths');
    root = tempDir('floe-sync-paths-');
  });
  afterAll(async () => {
    await pg.drop();
    root.cleanup();
  });

  const env = (dir: string): Record<string, string> => ({
    FLOE_SECRET_PG_URL: pg.url,
    FLOE_SECRET_SQLITE_URL: `sqlite:${join(dir, 'sync.db')}`,
  });

  it('gives identical diffs version after version, and the fast path reads less', async () => {
    const table = await GeneratedTable.create(join(root.dir, 'gold'), generatedRows(0, ROWS), 3);
    const models = new Map(TARGETS.map((t) => [t.name, new SyncModel(t.mode, ['id'])]));
    let columns = ['id', 'name', 'amount'];

    const steps: { readonly what: string; readonly change: () => Promise<void>; readonly fast: RegExp }[] = [
      { what: 'first run', change: async () => undefined, fast: /^full-scan: no sync state yet/ },
      { what: 'append', change: () => table.append(generatedRows(ROWS, 200)), fast: /^incremental: / },
      {
        what: 'copy-on-write rewrite',
        change: () =>
          table.rewrite(1, (rows) =>
            rows
              .filter((row) => (row.id ?? 0) % 7 !== 0)
              .map((row) => ((row.id ?? 0) % 3 === 0 ? { ...row, amount: (row.amount ?? 0) + 1 } : row)),
          ),
        fast: /^incremental: /,
      },
      {
        what: 'position deletes',
        change: () => table.deletePositions(0, [0, 5, 10, 11, 399]),
        fast: /^incremental: /,
      },
      { what: 'equality deletes', change: () => table.deleteIds([4_850, 4_851, 4_900, 5_001]), fast: /^incremental: / },
      {
        what: 'a new nullable column',
        change: async () => {
          await table.addColumn();
          columns = ['id', 'name', 'amount', 'note'];
          await table.append(generatedRows(ROWS + 200, 50).map((row) => ({ ...row, note: `note ${row.id}` })));
        },
        fast: /^full-scan: the table's schema changed \(a column sent was added, dropped or retyped\) since the state was built: full-scan diff$/,
      },
      {
        what: 'an update after the column',
        change: () =>
          table.rewrite(0, (rows) =>
            rows.map((row) => ((row.id ?? 0) % 10 === 1 ? { ...row, note: 'set', name: `m${row.id}` } : row)),
          ),
        fast: /^incremental: /,
      },
      {
        what: 'expired snapshots',
        change: async () => {
          await table.rewrite(2, (rows) => rows.map((row) => ({ ...row, amount: (row.amount ?? 0) * 2 })));
          await table.expireHistory();
        },
        fast: /^full-scan: snapshot \d+ is no longer in the table metadata \(expired\): full-scan diff$/,
      },
      {
        what: 'an append after the expiry',
        change: () => table.append(generatedRows(ROWS + 300, 30)),
        fast: /^incremental: /,
      },
    ];

    const dirOf = (flavour: Flavour): string => join(root.dir, flavour);
    for (const step of steps) {
      await step.change();
      const rows = table.rows().map((row) => textRowOf(row as unknown as Record<string, unknown>, columns));
      // The writer wrote what the step meant: the independent reader reads the same rows.
      expect({
        step: step.what,
        rows: sorted((await lakehouseRows(table.metadata)).map((r) => textRowOf(r, columns))),
      }).toEqual({
        step: step.what,
        rows: sorted(rows),
      });
      const sync = new Map<string, SyncReceipt>();
      for (const flavour of FLAVOURS) {
        const dir = dirOf(flavour);
        const spec = writeProject(
          dir,
          TARGETS.map((t) => ({
            name: `${t.name}_${flavour}`,
            sink_type: 'sql_database',
            connection_secret_ref: t.db,
            source_table: table.metadata,
            batch_size: 100,
            primary_key: ['id'],
            sync: { mode: t.mode, ...(t.mode === 'mirror' && { max_delete_fraction: 1 }) },
            config: { table: t.db === 'pg' ? `${pg.schema}.${t.name}_${flavour}` : `${t.name}_${flavour}` },
          })),
        );
        const args = ['egress', 'run', '--spec', spec, '--json', ...(flavour === 'full' ? ['--full-scan'] : [])];
        const run: FloeRun = await floe(args, { env: env(dir) });
        expect({ step: step.what, flavour, stderr: run.stderr, code: run.code }).toEqual({
          step: step.what,
          flavour,
          stderr: '',
          code: 0,
        });
        const runId = run.events.find((event) => event.event === 'run.started')?.runId as string;
        const saved = receipts(join(dir, '.floe'));
        for (const t of TARGETS)
          sync.set(`${flavour}/${t.name}`, saved[`${runId}/${t.name}_${flavour}`]?.sync as SyncReceipt);
      }
      for (const t of TARGETS) {
        const expected = models.get(t.name)!.step(rows);
        const fast = sync.get(`fast/${t.name}`)!;
        const full = sync.get(`full/${t.name}`)!;
        const counts = (s: SyncReceipt) => ({ inserts: s.inserts, updates: s.updates, deletes: s.deletes });
        expect({ step: step.what, target: t.name, fast: counts(fast), full: counts(full) }).toEqual({
          step: step.what,
          target: t.name,
          fast: expected,
          full: expected,
        });
        expect({ step: step.what, target: t.name, path: `${fast.path}: ${fast.reason}` }).toEqual({
          step: step.what,
          target: t.name,
          path: expect.stringMatching(step.fast),
        });
        if (step.what !== 'first run')
          expect(full).toMatchObject({ path: 'full-scan', reason: expect.stringMatching(/^--full-scan/) });
        if (fast.path === 'incremental') {
          expect({
            step: step.what,
            target: t.name,
            less: (fast.bytesRead ?? Infinity) < (full.bytesRead ?? 0),
          }).toEqual({
            step: step.what,
            target: t.name,
            less: true,
          });
        }
        // A record the source no longer has keeps its last values; a column added since reads as null.
        const model = sorted(
          models
            .get(t.name)!
            .rows()
            .map((row) => textRowOf(row, columns)),
        );
        for (const flavour of FLAVOURS) {
          const name = `${t.name}_${flavour}`;
          const held =
            t.db === 'pg'
              ? await pgRows(pg, name, columns)
              : sqliteRows(join(dirOf(flavour), 'sync.db'), name, columns);
          expect({ step: step.what, name, rows: sorted(held) }).toEqual({ step: step.what, name, rows: model });
        }
      }
      console.log(
        `${step.what}: ${TARGETS.map((t) => {
          const fast = sync.get(`fast/${t.name}`)!;
          const full = sync.get(`full/${t.name}`)!;
          return `${t.name} ${fast.path} ${fast.bytesRead ?? '?'} B vs full-scan ${full.bytesRead ?? '?'} B`;
        }).join('; ')}`,
      );
    }
  }, 600_000);

  /** One project of one SQLite destination over `table`: `extra` merged into the destination. */
  function liteProject(dir: string, source: string, mode: 'upsert' | 'mirror', extra: Record<string, unknown> = {}) {
    return writeProject(dir, [
      {
        name: 'lite',
        sink_type: 'sql_database',
        connection_secret_ref: 'sqlite',
        source_table: source,
        batch_size: 50,
        primary_key: ['id'],
        sync: { mode, ...(mode === 'mirror' && { max_delete_fraction: 1 }) },
        config: { table: 'items' },
        ...extra,
      },
    ]);
  }

  /** Runs `egress run` of a project; returns the run, its receipt and its rejected-rows file's lines. */
  async function runOnce(dir: string, spec: string, flags: string[] = [], environment = env(dir)) {
    const run = await floe(['egress', 'run', '--spec', spec, '--json', ...flags], { env: environment });
    const runId = run.events.find((event) => event.event === 'run.started')?.runId as string;
    const receipt = receipts(join(dir, '.floe'))[`${runId}/lite`] as
      { sync: SyncReceipt; receipt: Record<string, unknown> } | undefined;
    const file = join(dir, '.floe', 'runs', runId, 'lite.rejected.jsonl');
    const rejected = existsSync(file) ? jsonLines(readFileSync(file, 'utf8')) : [];
    return { run, receipt, rejected };
  }

  it('diffs in full when field_mapping or primary_key changed, and says so', async () => {
    const table = await GeneratedTable.create(join(root.dir, 'mapped-gold'), generatedRows(0, 300), 2);
    const dir = join(root.dir, 'mapped');
    const first = await runOnce(dir, liteProject(dir, table.metadata, 'upsert'));
    expect(first.run.code).toBe(0);
    await table.append(generatedRows(300, 10));

    // primary_key: the plan (read-only) says the next run diffs in full, and why.
    const keyed = liteProject(dir, table.metadata, 'upsert', { primary_key: ['id', 'name'] });
    const plan = await floe(['egress', 'plan', '--spec', keyed, '--json'], { env: env(dir) });
    expect(plan.code).toBe(0);
    expect(JSON.stringify(plan.events)).toContain('primary_key changed since the state was built: full-scan diff');

    // field_mapping: every row is now sent under another column name — all of them are updates.
    const renamed = liteProject(dir, table.metadata, 'upsert', { field_mapping: { name: 'label' } });
    const second = await runOnce(dir, renamed);
    expect({ code: second.run.code, stderr: second.run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(second.receipt?.sync).toMatchObject({
      path: 'full-scan',
      reason: 'field_mapping changed (a column is sent under another name) since the state was built: full-scan diff',
      inserts: 10,
      updates: 300,
      deletes: 0,
    });
    const expected = table.rows().map((row) => ({ id: String(row.id), label: row.name, amount: String(row.amount) }));
    expect(sorted(sqliteRows(join(dir, 'sync.db'), 'items', ['id', 'label', 'amount']))).toEqual(sorted(expected));
    const third = await runOnce(dir, renamed);
    expect(third.receipt?.sync).toMatchObject({ path: 'incremental', inserts: 0, updates: 0, deletes: 0 });
  }, 120_000);

  it('--full-resync sends every row, and a mirror still deletes only the records it synced', async () => {
    const table = await GeneratedTable.create(join(root.dir, 'resync-gold'), generatedRows(0, 400), 2);
    const dir = join(root.dir, 'resync');
    const spec = liteProject(dir, table.metadata, 'mirror');
    expect((await runOnce(dir, spec)).run.code).toBe(0);
    // A record the sync did not create, inserted by hand.
    const db = new Database(join(dir, 'sync.db'));
    db.prepare(`INSERT INTO items (id, name, amount) VALUES (?, ?, ?)`).run(1_000_000, 'by hand', 1);
    db.close();
    await table.rewrite(0, (rows) => rows.filter((row) => (row.id ?? 0) % 4 !== 0)); // 50 records leave
    const resync = await runOnce(dir, liteProject(dir, table.metadata, 'mirror'), ['--full-resync']);
    expect({ code: resync.run.code, stderr: resync.run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(resync.receipt?.sync).toMatchObject({
      path: 'full-resync',
      inserts: 0,
      updates: 0,
      deletes: 50,
      unchanged: 350,
    });
    expect(resync.receipt?.receipt).toMatchObject({ rowsDelivered: 350 + 50 });
    const columns = ['id', 'name', 'amount'];
    const expected = [
      ...table.rows().map((row) => textRowOf(row as unknown as Record<string, unknown>, columns)),
      { id: '1000000', name: 'by hand', amount: '1' },
    ];
    expect(sorted(sqliteRows(join(dir, 'sync.db'), 'items', columns))).toEqual(sorted(expected));
    // The state was rebuilt: the next run sends nothing and still leaves the hand-made record alone.
    const again = await runOnce(dir, spec);
    expect(again.receipt?.sync).toMatchObject({ path: 'incremental', inserts: 0, updates: 0, deletes: 0 });
    expect(sorted(sqliteRows(join(dir, 'sync.db'), 'items', columns))).toEqual(sorted(expected));
  }, 120_000);

  it('refuses duplicate and null primary keys row by row (exit 2, listed with the reason) and lands the others', async () => {
    const rows = generatedRows(0, 100);
    const table = await GeneratedTable.create(join(root.dir, 'dup-gold'), rows, 2);
    // id 7 again in another file, and a row without an id.
    await table.append([
      { id: 7, name: 'seven again', amount: 7 },
      { id: null, name: 'no id', amount: 0 },
      { id: 500, name: 'n500', amount: 750 },
    ]);
    const dir = join(root.dir, 'dup');
    const { run, receipt, rejected } = await runOnce(dir, liteProject(dir, table.metadata, 'upsert'));
    expect(run.code).toBe(2);
    expect(receipt?.sync).toMatchObject({ inserts: 100, refused: 3 });
    const reasons = rejected.map((line) => String(line.reason)).sort();
    expect(reasons).toEqual(
      [
        expect.stringMatching(/^a primary-key value \(id\) is null/),
        expect.stringMatching(/^duplicate primary key .*7.*: row \d+ of .* has it too/),
        expect.stringMatching(/^duplicate primary key .*7.*: row \d+ of .* has it too/),
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
    const columns = ['id', 'name', 'amount'];
    const landed = table
      .rows()
      .filter((row) => row.id !== null && row.id !== 7)
      .map((row) => textRowOf(row as unknown as Record<string, unknown>, columns));
    expect(sorted(sqliteRows(join(dir, 'sync.db'), 'items', columns))).toEqual(sorted(landed));
  }, 120_000);

  it('sends the rows a destination rejected again on the next run, though their file did not change', async () => {
    const table = await GeneratedTable.create(join(root.dir, 'check-gold'), generatedRows(0, 300), 3);
    const dir = join(root.dir, 'check');
    const spec = writeProject(dir, [
      {
        name: 'lite',
        sink_type: 'sql_database',
        connection_secret_ref: 'pg',
        source_table: table.metadata,
        batch_size: 50,
        primary_key: ['id'],
        sync: { mode: 'upsert' },
        config: { table: `${pg.schema}.checked` },
      },
    ]);
    expect((await runOnce(dir, spec)).run.code).toBe(0);
    await pg.query(`ALTER TABLE "${pg.schema}".checked ADD CONSTRAINT small CHECK (amount < 1000)`);
    // File 1 (ids 100..199) rewritten: every amount of an even id jumps over the CHECK's limit.
    await table.rewrite(1, (rows) =>
      rows.map((row) => ((row.id ?? 0) % 2 === 0 ? { ...row, amount: 5_000 + (row.id ?? 0) } : row)),
    );
    const respec = writeProject(dir, [], {
      spec: readFileSync(spec, 'utf8').replace(/source_table: .*/, `source_table: ${table.metadata}`),
    });
    const columns = ['id', 'name', 'amount'];
    const source = () =>
      sorted(table.rows().map((row) => textRowOf(row as unknown as Record<string, unknown>, columns)));

    const rejectedRun = await runOnce(dir, respec);
    expect(rejectedRun.run.code).toBe(2);
    expect(rejectedRun.receipt?.sync).toMatchObject({ path: 'incremental', updates: 50 });
    expect(rejectedRun.rejected).toHaveLength(50);
    expect(String(rejectedRun.rejected[0]?.reason)).toMatch(/small|check/i);

    // Same snapshot, constraint still there: the 50 go out again and are rejected again.
    const still = await runOnce(dir, respec);
    expect(still.run.code).toBe(2);
    expect(still.receipt?.sync).toMatchObject({ path: 'incremental', updates: 50, inserts: 0, deletes: 0 });
    expect(still.rejected).toHaveLength(50);

    // The constraint fixed: they land, nothing else is sent, and the table equals the source.
    await pg.query(`ALTER TABLE "${pg.schema}".checked DROP CONSTRAINT small`);
    const fixed = await runOnce(dir, respec);
    expect({ code: fixed.run.code, stderr: fixed.run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(fixed.receipt?.sync).toMatchObject({ path: 'incremental', updates: 50, inserts: 0, deletes: 0 });
    expect(sorted(await pgRows(pg, 'checked', columns))).toEqual(source());
    const quiet = await runOnce(dir, respec);
    expect(quiet.receipt?.sync).toMatchObject({ path: 'incremental', inserts: 0, updates: 0, deletes: 0 });
  }, 120_000);
});
