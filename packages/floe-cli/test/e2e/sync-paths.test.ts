import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { createPgSchema, type PgTestSchema } from '@floe/test-harness';
import { floe, lakehouseRows, receipts, sorted, tempDir, writeProject, type FloeRun } from './helpers.js';
import { GeneratedTable, generatedRows } from './support/generated-table.js';
import { pgRows, sqliteRows, textRowOf } from './support/sync-destinations.js';
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
});
