import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { createPgSchema, type PgTestSchema } from '@floe/test-harness';
import { tempDir, writeProject } from '../e2e/helpers.js';
import { killAt, killTargets, runCli, startCli, type KillPoint } from './support/cli-process.js';
import { faultSeed, mulberry32, withSeed } from './support/prng.js';
import { sourceRows, type SourceRow } from './support/source-table.js';
import { writeVersionedTable, type VersionedTable } from './support/versioned-table.js';

const ROWS = 20_000;
const BATCH_SIZE = 200;
const KILLS = 15;

/**
 * SIGKILL a mirror sync to PostgreSQL at random moments of a run that carries a copy-on-write update (4,000 rows
 * changed, 1,000 deleted, 5,000 added): after the rerun the table equals the new version exactly, the ledger
 * shows every change batch committed once, and a further run finds nothing to send — the sync state was written
 * in each batch's own transaction, so no kill separated the rows from their state.
 */
describe('floe egress run, mirror sync → PostgreSQL, killed with SIGKILL during the diff run', () => {
  let pg: PgTestSchema;
  let project: { dir: string; cleanup: () => void };
  let table: VersionedTable;
  const gold = (): string => join(project.dir, 'gold');

  beforeAll(async () => {
    pg = await createPgSchema('floe_sync_kill');
    project = tempDir('floe-fault-sync-');
    table = await writeVersionedTable(gold(), sourceRows(ROWS));
  });
  afterAll(async () => {
    await pg.drop();
    project.cleanup();
  });

  it(`applies every change exactly once after ${KILLS} kills and a rerun`, async () => {
    const seed = faultSeed();
    const random = mulberry32(seed);
    await withSeed(seed, async () => {
      const name = 'pg-mirror';
      const spec = writeProject(project.dir, [
        {
          name,
          sink_type: 'sql_database',
          connection_secret_ref: 'dw',
          source_table: gold(),
          batch_size: BATCH_SIZE,
          primary_key: ['id'],
          sync: { mode: 'mirror' },
          config: { table: `${pg.schema}.items` },
        },
      ]);
      const env = { FLOE_SECRET_DW_URL: pg.url };
      const args = ['egress', 'run', '--spec', spec, '--json'];
      const rowsNow = async (): Promise<SourceRow[]> =>
        pg.query<SourceRow>(`SELECT id::int AS id, name, amount FROM "${pg.schema}".items ORDER BY id`);

      const first = await runCli(args, env, project.dir);
      expect(first.code).toBe(0);
      expect(await rowsNow()).toEqual(table.rows());
      const firstBatches = ROWS / BATCH_SIZE;

      // Version 2: file 0 rewritten (every 5th row dropped, the others' amount changed), 5,000 rows added.
      const added = sourceRows(ROWS + 5_000).slice(ROWS);
      await table.rewrite(
        0,
        (rows) => rows.filter((row) => row.id % 5 !== 0).map((row) => ({ ...row, amount: row.amount + 1 })),
        added,
      );
      const changes = 4_000 + 1_000 + 5_000;
      const batches = changes / BATCH_SIZE;
      const committed = async (): Promise<number> => {
        const rows = await pg.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${pg.schema}"._floe_ledger l JOIN "${pg.schema}"._floe_runs r USING (run_id)
            WHERE l.state = 'committed' AND r.destination = $1`,
          [name],
        );
        return (rows[0]?.n ?? 0) - firstBatches;
      };
      const points: KillPoint[] = [];
      for (const target of killTargets(random, KILLS, batches - 8)) {
        points.push(
          await killAt(startCli(args, env, project.dir), { committed, target, jitterMs: Math.floor(random() * 40) }),
        );
      }
      console.log(
        `${name}: seed ${seed}, kills at committed change batches ${points.map((p) => `${p.committedAtKill}+${p.jitterMs}ms`).join(', ')}`,
      );
      expect(points.filter((point) => point.midRun).length).toBeGreaterThanOrEqual(12);

      const final = await runCli(args, env, project.dir);
      expect(final.stderr()).toBe('');
      expect(final.code).toBe(0);
      const receipt = final.events.find((event) => event.event === 'receipt') as {
        sync: Record<string, unknown>;
        delivery: Record<string, unknown>;
      };
      expect(receipt.sync).toMatchObject({ mode: 'mirror', inserts: 5_000, updates: 4_000, deletes: 1_000 });
      expect(receipt.delivery).toMatchObject({ batchesCommitted: batches, batchesTotal: batches, status: 'completed' });
      expect(await rowsNow()).toEqual(table.rows());
      expect(await committed()).toBe(batches);

      const again = await runCli(args, env, project.dir);
      expect(again.code).toBe(0);
      const quiet = again.events.find((event) => event.event === 'receipt') as { sync: Record<string, unknown> };
      expect(quiet.sync).toMatchObject({ path: 'incremental', inserts: 0, updates: 0, deletes: 0 });
      expect(await rowsNow()).toEqual(table.rows());
    });
  }, 240_000);
});
