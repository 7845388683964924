import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { tempDir, writeProject } from '../e2e/helpers.js';
import { startContactsApi, type Applications, type ContactsApi } from '../e2e/support/contacts-api.js';
import { killAt, killTargets, runCli, startCli, type KillPoint } from './support/cli-process.js';
import { faultSeed, mulberry32, withSeed } from './support/prng.js';
import { sourceRows, type SourceRow } from './support/source-table.js';
import { writeVersionedTable, type VersionedTable } from './support/versioned-table.js';

const ROWS = 4_000;
const BATCH_SIZE = 100;
const KILLS = 15;

/** The API's records as source rows, by id order. */
function held(api: ContactsApi): SourceRow[] {
  return api
    .records()
    .map((record) => ({ id: Number(record.id), name: record.name as string | null, amount: Number(record.amount) }))
    .sort((a, b) => a.id - b.id);
}

/** Every record's applications, by id order (for one readable comparison). */
function applications(api: ContactsApi): [number, Applications][] {
  return [...api.applied]
    .map(([id, applied]): [number, Applications] => [Number(id), { ...applied }])
    .sort(([a], [b]) => a - b);
}

/**
 * SIGKILL a mirror sync to a REST API at random moments of a run that carries a copy-on-write update (800 rows
 * changed and 1,000 added, in batch upserts by POST; 200 deleted, a DELETE each): after the rerun the API
 * equals the new version exactly and applied every change exactly once (counted per record by the API, which
 * answers a repeated `Idempotency-Key` from its store), unchanged records were never touched, and a further run
 * sends no request — the rows' sync state went into the state store with each batch's commit mark.
 */
describe('floe egress run, mirror sync → REST API, killed with SIGKILL during the diff run', () => {
  let api: ContactsApi;
  let project: { dir: string; cleanup: () => void };
  let table: VersionedTable;
  const gold = (): string => join(project.dir, 'gold');

  beforeAll(async () => {
    api = await startContactsApi();
    project = tempDir('floe-fault-sync-rest-');
    table = await writeVersionedTable(gold(), sourceRows(ROWS));
  });
  afterAll(async () => {
    await api.close();
    project.cleanup();
  });

  it(`applies every change exactly once after ${KILLS} kills and a rerun`, async () => {
    const seed = faultSeed();
    const random = mulberry32(seed);
    await withSeed(seed, async () => {
      const name = 'crm-mirror';
      const spec = writeProject(project.dir, [
        {
          name,
          sink_type: 'rest_api',
          connection_secret_ref: 'crm-api',
          source_table: gold(),
          batch_size: BATCH_SIZE,
          primary_key: ['id'],
          sync: { mode: 'mirror' },
          config: {
            base_url: api.url,
            upsert: { method: 'POST', path: '/contacts' },
            update: { method: 'PATCH', path: '/contacts/{id}' },
            delete: { method: 'DELETE', path: '/contacts/{id}' },
            record_id_path: 'id',
          },
        },
      ]);
      const env = { FLOE_SECRET_CRM_API_TOKEN: 'tok-fault' };
      const args = ['egress', 'run', '--spec', spec, '--json'];

      const first = await runCli(args, env, project.dir);
      expect(first.stderr()).toBe('');
      expect(first.code).toBe(0);
      expect(held(api)).toEqual(table.rows());
      expect(applications(api)).toEqual(
        table.rows().map((row): [number, Applications] => [row.id, { created: 1, updated: 0, deleted: 0 }]),
      );

      // Version 2: file 0 (ids 1–1,000) rewritten: every 5th row dropped, the others' amount changed; 1,000 added.
      const before = table.rows();
      const added = sourceRows(ROWS + 1_000).slice(ROWS);
      await table.rewrite(
        0,
        (rows) => rows.filter((row) => row.id % 5 !== 0).map((row) => ({ ...row, amount: row.amount + 1 })),
        added,
      );
      const file0 = before.filter((row) => row.id <= ROWS / 4);
      const updated = file0.filter((row) => row.id % 5 !== 0).map((row) => row.id);
      const deleted = file0.filter((row) => row.id % 5 === 0).map((row) => row.id);
      const created = added.map((row) => row.id);
      expect([updated.length, deleted.length, created.length]).toEqual([800, 200, 1_000]);
      // Requests the change needs: a DELETE per deleted record, and a POST per batch of changed and new rows (a
      // mirror upserts changed records: the upsert operation takes them, by key).
      const requestsNeeded = deleted.length + (updated.length + created.length) / BATCH_SIZE;

      api.resetCounts();
      const committed = async (): Promise<number> => api.applications();
      const points: KillPoint[] = [];
      for (const target of killTargets(random, KILLS, requestsNeeded - 20)) {
        points.push(
          await killAt(startCli(args, env, project.dir), { committed, target, jitterMs: Math.floor(random() * 40) }),
        );
      }
      console.log(
        `${name}: seed ${seed}, kills at applied requests ${points.map((p) => `${p.committedAtKill}+${p.jitterMs}ms`).join(', ')}; replayed requests so far ${api.replays()}`,
      );
      expect(points.filter((point) => point.midRun).length).toBeGreaterThanOrEqual(12);

      const final = await runCli(args, env, project.dir);
      expect(final.stderr()).toBe('');
      expect(final.code).toBe(0);
      const receipt = final.events.find((event) => event.event === 'receipt') as {
        sync: Record<string, unknown>;
        delivery: Record<string, unknown>;
      };
      expect(receipt.sync).toMatchObject({ mode: 'mirror', inserts: 1_000, updates: 800, deletes: 200 });
      expect(receipt.delivery).toMatchObject({ status: 'completed' });
      expect(held(api)).toEqual(table.rows());
      // Each change applied once, whatever was killed and re-sent; the records no change touched, never.
      const expected: [number, Applications][] = [
        ...updated.map((id): [number, Applications] => [id, { created: 0, updated: 1, deleted: 0 }]),
        ...deleted.map((id): [number, Applications] => [id, { created: 0, updated: 0, deleted: 1 }]),
        ...created.map((id): [number, Applications] => [id, { created: 1, updated: 0, deleted: 0 }]),
      ].sort(([a], [b]) => a - b);
      expect(applications(api)).toEqual(expected);
      expect({ unkeyed: api.unkeyed(), conflicts: api.conflicts() }).toEqual({ unkeyed: 0, conflicts: 0 });

      api.resetCounts();
      const again = await runCli(args, env, project.dir);
      expect(again.code).toBe(0);
      const quiet = again.events.find((event) => event.event === 'receipt') as { sync: Record<string, unknown> };
      expect(quiet.sync).toMatchObject({ path: 'incremental', inserts: 0, updates: 0, deletes: 0 });
      expect(api.requests()).toBe(0);
      expect(held(api)).toEqual(table.rows());
    });
  }, 300_000);
});
