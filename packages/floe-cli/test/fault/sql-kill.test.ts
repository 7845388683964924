import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { createPgSchema, type PgTestSchema } from '@floe/test-harness';
import { tempDir, writeProject } from '../e2e/helpers.js';
import { killAt, killTargets, runCli, startCli, type KillPoint } from './support/cli-process.js';
import { faultSeed, mulberry32, withSeed } from './support/prng.js';
import { writeSourceTable, type SourceRow } from './support/source-table.js';

const ROWS = 60_000;
const BATCH_SIZE = 1_000;
const BATCHES = ROWS / BATCH_SIZE;
const KILLS = 12;

/**
 * SIGKILL the built CLI at random points of a 60,000-row delivery to PostgreSQL (the kill points are
 * seeded: FLOE_FAULT_SEED replays them), then rerun it to completion: the table must equal the source —
 * no row lost, none twice — and the ledger must say completed. The `_floe_ledger` record of each batch is
 * written in the batch's own transaction, so a kill can never separate the rows from their record.
 */
describe('floe egress run → PostgreSQL, killed with SIGKILL again and again', () => {
  let pg: PgTestSchema;
  let project: { dir: string; cleanup: () => void };
  let source: SourceRow[];
  const gold = (): string => join(project.dir, 'gold');

  beforeAll(async () => {
    pg = await createPgSchema('floe_fault');
    project = tempDir('floe-fault-sql-');
    source = await writeSourceTable(gold(), ROWS);
  });
  afterAll(async () => {
    await pg.drop();
    project.cleanup();
  });

  for (const disposition of ['append', 'merge'] as const) {
    it(`delivers every row exactly once (${disposition}) after ${KILLS} kills and a rerun`, async () => {
      const seed = faultSeed();
      const random = mulberry32(seed);
      await withSeed(seed, async () => {
        const name = `pg-${disposition}`;
        const table = `items_${disposition}`;
        const dir = join(project.dir, disposition);
        const spec = writeProject(dir, [
          {
            name,
            sink_type: 'sql_database',
            connection_secret_ref: 'dw',
            source_table: gold(),
            batch_size: BATCH_SIZE,
            config: {
              table: `${pg.schema}.${table}`,
              write_disposition: disposition,
              ...(disposition === 'merge' && { primary_key: ['id'] }),
            },
          },
        ]);
        const env = { FLOE_SECRET_DW_URL: pg.url };
        const args = ['egress', 'run', '--spec', spec, '--json'];
        const committed = async (): Promise<number> => {
          try {
            const rows = await pg.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM "${pg.schema}"._floe_ledger l JOIN "${pg.schema}"._floe_runs r USING (run_id)
                WHERE l.state = 'committed' AND r.destination = $1`,
              [name],
            );
            return rows[0]?.n ?? 0;
          } catch {
            return 0; // the ledger tables do not exist yet
          }
        };

        const points: KillPoint[] = [];
        for (const target of killTargets(random, KILLS, BATCHES - 10)) {
          points.push(
            await killAt(startCli(args, env, dir), { committed, target, jitterMs: Math.floor(random() * 40) }),
          );
        }
        console.log(
          `${name}: seed ${seed}, kills at committed batches ${points.map((p) => `${p.committedAtKill}+${p.jitterMs}ms`).join(', ')}`,
        );
        expect(points.filter((point) => point.midRun).length).toBeGreaterThanOrEqual(10);

        const final = await runCli(args, env, dir);
        expect(final.stderr()).toBe('');
        expect(final.code).toBe(0);
        const receipt = final.events.find((event) => event.event === 'receipt') as {
          delivery: Record<string, number | boolean | string>;
        };
        expect(receipt.delivery).toMatchObject({
          resumed: true,
          rowsDelivered: ROWS,
          batchesCommitted: BATCHES,
          batchesTotal: BATCHES,
          status: 'completed',
        });
        expect(Number(receipt.delivery.rowsDeliveredEarlier) + Number(receipt.delivery.rowsDeliveredThisAttempt)).toBe(
          ROWS,
        );

        // The destination equals the source: count, distinct keys, every value.
        const rows = await pg.query<SourceRow>(
          `SELECT id::int AS id, name, amount FROM "${pg.schema}"."${table}" ORDER BY id`,
        );
        expect(rows.length).toBe(ROWS);
        expect(new Set(rows.map((row) => row.id)).size).toBe(ROWS);
        expect(rows).toEqual(source);

        // The ledger says completed, each batch committed once, its rows summing to the source's.
        const ledger = await pg.query<{ batches: number; rows: number; status: string }>(
          `SELECT count(*)::int AS batches, sum(l.rows_delivered)::int AS rows, min(r.status) AS status
             FROM "${pg.schema}"._floe_ledger l JOIN "${pg.schema}"._floe_runs r USING (run_id) WHERE r.destination = $1 AND l.state = 'committed'`,
          [name],
        );
        expect(ledger).toEqual([{ batches: BATCHES, rows: ROWS, status: 'completed' }]);
        const listed = await runCli(['egress', 'runs', '--spec', spec, '--json'], env, dir);
        const runs = (listed.events[0] as { runs: Record<string, unknown>[] }).runs;
        expect(runs).toHaveLength(1);
        expect(runs[0]).toMatchObject({
          destination: name,
          status: 'completed',
          batchesCommitted: BATCHES,
          rowsDelivered: ROWS,
        });
        expect(Number(runs[0]?.attempts)).toBeGreaterThanOrEqual(2);
      });
    }, 150_000);
  }
});
