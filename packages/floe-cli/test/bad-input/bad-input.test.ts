import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import {
  createPgSchema,
  startHttpTarget,
  type HttpTarget,
  type PgTestSchema,
  type ScriptedResponse,
} from '@floe/test-harness';
import { tempDir, type FloeRun } from '../e2e/helpers.js';
import { CHECK_CASES } from './check-cases.js';
import { CLI_CASES } from './cli-cases.js';
import { CONFIG_CASES } from './config-cases.js';
import { CREDENTIAL_CASES, NAMING_CASES, REDACTION_CASES, SMALL_TRAP_CASES } from './credential-cases.js';
import { expectNothingWritten, pool, runCase, type BadInputCase, type CaseWorld } from './corpus.js';
import { DELIVERY_CASES } from './delivery-cases.js';
import { READER_CASES } from './reader-cases.js';
import { SOURCE_CASES } from './source-cases.js';
import { SMALL_TRAP_CASES_2, TRAP_CASES } from './trap-cases.js';

/**
 * The bad-input corpus: each case writes a floe.yaml (and manifest.yaml, secrets) into its own folder and
 * runs the built CLI on it (`node packages/floe-cli/dist/bin.js`), against real PostgreSQL and a loopback
 * HTTP API; then checks the exit code, the message (file, path, fix) and what was written. Every case has
 * its own endpoint path and table, so the runs go in parallel; the assertions follow, one test per case.
 */
const CASES: readonly BadInputCase[] = [
  ...CONFIG_CASES,
  ...CHECK_CASES,
  ...SOURCE_CASES,
  ...DELIVERY_CASES,
  ...CREDENTIAL_CASES,
  ...REDACTION_CASES,
  ...CLI_CASES,
  ...SMALL_TRAP_CASES,
  ...NAMING_CASES,
  ...TRAP_CASES,
  ...SMALL_TRAP_CASES_2,
  ...READER_CASES,
];

describe('bad-input corpus: floe on bad floe.yaml, manifests, secrets, tables and destinations', () => {
  let pg: PgTestSchema;
  let target: HttpTarget;
  let root: { dir: string; cleanup: () => void };
  const worlds = new Map<string, CaseWorld>();
  const runs = new Map<string, FloeRun>();

  beforeAll(async () => {
    pg = await createPgSchema('floe_bad_input');
    root = tempDir('floe-bad-input-');
    const answers = new Map<string, (request: Parameters<NonNullable<BadInputCase['http']>>[0]) => ScriptedResponse>();
    target = await startHttpTarget((request) => {
      const id = request.url.split('/')[1] ?? '';
      const answer = answers.get(id)?.(request) ?? { status: 200, body: {} };
      const status = answer.status ?? 200;
      if (status >= 200 && status < 300) worlds.get(id)?.accepted.push(request.body);
      return answer;
    });
    CASES.forEach((badInput, index) => {
      const id = `c${String(index).padStart(2, '0')}`;
      const dir = join(root.dir, id);
      worlds.set(id, {
        id,
        dir,
        spec: join(dir, 'floe.yaml'),
        url: `${target.url}/${id}/contacts`,
        // a schema per case: what a sink keeps beside its table (e.g. a delivery ledger) is the case's own
        table: `${pg.schema}_${id}.target`,
        pg,
        requests: () => target.requests.filter((request) => request.url.startsWith(`/${id}/`)),
        accepted: [],
      });
      if (badInput.http) answers.set(id, badInput.http);
    });
    const ids = [...worlds.keys()];
    for (const id of ids) await pg.query(`CREATE SCHEMA "${pg.schema}_${id}"`);
    const results = await pool(
      CASES.map((badInput, index) => () => runCase(badInput, worlds.get(ids[index] as string) as CaseWorld)),
      4,
    );
    results.forEach((run, index) => runs.set(ids[index] as string, run));
    // ~90 CLI processes, 4 at a time: minutes on a loaded 2-core machine. The limit guards against a hang, not speed.
  }, 600_000);

  afterAll(async () => {
    await target?.close();
    for (const id of worlds.keys()) await pg?.query(`DROP SCHEMA IF EXISTS "${pg.schema}_${id}" CASCADE`);
    await pg?.drop();
    root?.cleanup();
  });

  it('holds at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((badInput, index) => [badInput.name, index] as const))('%s', async (_name, index) => {
    const badInput = CASES[index] as BadInputCase;
    const id = `c${String(index).padStart(2, '0')}`;
    const world = worlds.get(id) as CaseWorld;
    const run = runs.get(id) as FloeRun;
    for (const expected of badInput.stderr(world)) {
      if (typeof expected === 'string') expect(run.stderr).toContain(expected);
      else expect(run.stderr).toMatch(expected);
    }
    expect(run.code).toBe(badInput.exit);
    if (badInput.effect === 'nothing') {
      await expectNothingWritten(world);
    } else {
      await badInput.effect(run, world);
    }
  });
});
