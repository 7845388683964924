import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHttpTarget, type HttpTarget, type ScriptedResponse } from '@floe/test-harness';
import { receipts, tempDir, writeProject } from '../e2e/helpers.js';
import { killAt, killTargets, runCli, startCli, type KillPoint } from './support/cli-process.js';
import { faultSeed, mulberry32, withSeed } from './support/prng.js';
import { writeSourceTable, type SourceRow } from './support/source-table.js';

const ROWS = 30_000;
const BATCH_SIZE = 1_000;
const BATCHES = ROWS / BATCH_SIZE;
/** SIGKILLs: 15 in CI; `FLOE_STRESS_LOOPS` for a nightly-size loop. */
const KILLS = Number(process.env.FLOE_STRESS_LOOPS ?? 15);
/** The API refuses (422) any request holding a record whose id is a multiple of this. */
const BAD = 331;

/**
 * SIGKILL the built CLI again and again while it delivers to a REST API (honouring `Idempotency-Key`) that refuses
 * some records with 422 — bisected by `split_on_reject` — then rerun it (issue 13 §2): the state store recorded each
 * batch's rejected rows with its commit mark, so the final attempt's rejected-rows file and receipt list every
 * rejected row of the whole run exactly once, and the API holds every other row exactly once.
 */
describe('floe egress run → REST API with rejected records, killed with SIGKILL again and again', () => {
  let api: HttpTarget;
  let project: { dir: string; cleanup: () => void };
  let source: SourceRow[];
  const answers = new Map<string, ScriptedResponse>();
  const stored = new Map<number, number>();

  beforeAll(async () => {
    api = await startHttpTarget((request) => {
      const key = String(request.headers['idempotency-key']);
      const kept = answers.get(key);
      if (kept !== undefined) return kept;
      const records = request.body as SourceRow[];
      const bad = records.filter((record) => record.id % BAD === 0);
      if (bad.length > 0) return { status: 422, body: { error: `ids ${bad.map((r) => r.id).join(',')} refused` } };
      for (const record of records) stored.set(record.id, (stored.get(record.id) ?? 0) + 1);
      const answer: ScriptedResponse = { status: 201, body: records.map((record) => ({ id: `c-${record.id}` })) };
      answers.set(key, answer);
      return answer;
    });
    project = tempDir('floe-fault-rest-rejects-');
    source = await writeSourceTable(join(project.dir, 'gold'), ROWS);
  });
  afterAll(async () => {
    await api.close();
    project.cleanup();
  });

  it(`reports every rejected record exactly once after ${KILLS} kills and a rerun`, async () => {
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
      // Batches fully acknowledged: a batch's parts are keyed apart, so count the API's stored batches of rows.
      const committed = async (): Promise<number> => Math.floor(stored.size / BATCH_SIZE);
      const points: KillPoint[] = [];
      for (const target of killTargets(random, KILLS, BATCHES - 5)) {
        points.push(
          await killAt(startCli(args, env, project.dir), { committed, target, jitterMs: Math.floor(random() * 30) }),
        );
      }
      console.log(
        `crm: seed ${seed}, ${KILLS} kills at acknowledged batches ${points.map((p) => `${p.committedAtKill}+${p.jitterMs}ms`).join(', ')}`,
      );

      const final = await runCli(args, env, project.dir);
      expect(final.stderr()).not.toMatch(/failed|error/i);
      expect(final.code).toBe(2);
      const expectedRejected = source.flatMap((row, index) => (row.id % BAD === 0 ? [index] : []));
      const event = final.events.find((e) => e.event === 'receipt') as {
        receipt: { errors: { row: number; httpStatus?: number }[] };
        delivery: Record<string, unknown>;
      };
      expect(event.delivery).toMatchObject({
        resumed: true,
        ledgerKind: 'state-store',
        status: 'completed',
        rowsRejected: expectedRejected.length,
        rowsDelivered: ROWS - expectedRejected.length,
      });
      expect(event.receipt.errors.map((error) => error.row).sort((a, b) => a - b)).toEqual(expectedRejected);
      for (const error of event.receipt.errors) expect(error.httpStatus).toBe(422);

      const runId = String(final.events.find((e) => e.event === 'run.started')?.runId);
      const [key] = Object.keys(receipts(join(project.dir, '.floe'))).filter((k) => k.startsWith(runId));
      const lines = readFileSync(join(project.dir, '.floe', 'runs', `${String(key)}.rejected.jsonl`), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { row: number; values: SourceRow });
      expect(lines.map((line) => line.row).sort((a, b) => a - b)).toEqual(expectedRejected);
      for (const line of lines) expect(line.values).toEqual(source[line.row]);

      // The API holds every other record exactly once.
      expect([...stored.values()].filter((count) => count !== 1)).toEqual([]);
      expect([...stored.keys()].sort((a, b) => a - b)).toEqual(
        source.filter((row) => row.id % BAD !== 0).map((row) => row.id),
      );
    });
  }, 300_000);
});
