import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { tempDir, writeProject } from '../e2e/helpers.js';
import { killAt, killTargets, runCli, startCli, type KillPoint } from './support/cli-process.js';
import { startIdempotentApi, storedExactly, type IdempotentApi } from './support/idempotent-api.js';
import { faultSeed, mulberry32, withSeed } from './support/prng.js';
import { writeSourceTable, type SourceRow } from './support/source-table.js';

const ROWS = 60_000;
const BATCH_SIZE = 1_000;
const BATCHES = ROWS / BATCH_SIZE;
const KILLS = 12;

/**
 * SIGKILL the built CLI at random points of a 60,000-row delivery to a REST API that honours
 * `Idempotency-Key`, then rerun it: the API must hold every source row exactly once. Batches are recorded
 * as intended in the state store (SQLite, fsync'd) before they are sent; a kill between the request and
 * the committed record makes the rerun send that batch again with the same key, and the API answers it
 * from its store instead of storing the rows twice.
 */
describe('floe egress run → REST API with Idempotency-Key, killed with SIGKILL again and again', () => {
  let api: IdempotentApi;
  let project: { dir: string; cleanup: () => void };
  let source: SourceRow[];

  beforeAll(async () => {
    api = await startIdempotentApi();
    project = tempDir('floe-fault-rest-');
    source = await writeSourceTable(join(project.dir, 'gold'), ROWS);
  });
  afterAll(async () => {
    await api.close();
    project.cleanup();
  });

  it(`delivers every row exactly once after ${KILLS} kills and a rerun`, async () => {
    const seed = faultSeed();
    const random = mulberry32(seed);
    await withSeed(seed, async () => {
      const spec = writeProject(project.dir, [
        {
          name: 'crm',
          sink_type: 'rest_api',
          connection_secret_ref: 'crm-api',
          source_table: join(project.dir, 'gold'),
          batch_size: BATCH_SIZE,
          config: { url: `${api.url}/contacts`, record_id_path: 'id' },
        },
      ]);
      const env = { FLOE_SECRET_CRM_API_TOKEN: 'tok-fault' };
      const args = ['egress', 'run', '--spec', spec, '--json'];
      const committed = async (): Promise<number> => api.answers.size;

      const points: KillPoint[] = [];
      for (const target of killTargets(random, KILLS, BATCHES - 10)) {
        points.push(
          await killAt(startCli(args, env, project.dir), { committed, target, jitterMs: Math.floor(random() * 30) }),
        );
      }
      console.log(
        `crm: seed ${seed}, kills at acknowledged batches ${points.map((p) => `${p.committedAtKill}+${p.jitterMs}ms`).join(', ')}; replayed requests so far ${api.replays()}`,
      );
      expect(points.filter((point) => point.midRun).length).toBeGreaterThanOrEqual(10);

      const final = await runCli(args, env, project.dir);
      expect(final.stderr()).toBe('');
      expect(final.code).toBe(0);
      const receipt = final.events.find((event) => event.event === 'receipt') as { delivery: Record<string, unknown> };
      expect(receipt.delivery).toMatchObject({
        resumed: true,
        ledgerKind: 'state-store',
        rowsDelivered: ROWS,
        batchesCommitted: BATCHES,
        batchesTotal: BATCHES,
        status: 'completed',
      });
      expect(Number(receipt.delivery.rowsDeliveredEarlier) + Number(receipt.delivery.rowsDeliveredThisAttempt)).toBe(
        ROWS,
      );

      // The API holds the source exactly: every id once, every value as read.
      const held = storedExactly(api);
      expect(held.duplicates).toEqual([]);
      expect(held.ids).toBe(ROWS);
      expect(held.records).toEqual(source);
      // One idempotency key per batch, the same on every attempt: 60 keys, whatever was re-sent.
      expect(api.answers.size).toBe(BATCHES);
      expect(api.unkeyed()).toBe(0);

      const listed = await runCli(['egress', 'runs', '--spec', spec, '--json'], env, project.dir);
      const runs = (listed.events[0] as { runs: Record<string, unknown>[] }).runs;
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({
        destination: 'crm',
        status: 'completed',
        batchesCommitted: BATCHES,
        rowsDelivered: ROWS,
      });
    });
  }, 150_000);
});
