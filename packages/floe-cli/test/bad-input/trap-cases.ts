import { expect } from '@jest/globals';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { floe, manifestYaml, specYaml } from '../e2e/helpers.js';
import { NULLS, restDestination, secretsEnv, spec, type BadInputCase, type CaseWorld } from './corpus.js';

/** A REST URL nothing listens on (connection refused): the wrong URL of a fix-and-rerun. */
function wrongUrl(world: CaseWorld): string {
  return `http://127.0.0.1:1/${world.id}/contacts`;
}

/** `floe egress runs --json` of a spec in the case's folder: the listed runs. */
async function listedRuns(world: CaseWorld, specFile = world.spec): Promise<Record<string, unknown>[]> {
  const listed = await floe(['egress', 'runs', '--json', '--spec', specFile], { env: secretsEnv(world) });
  expect(listed.code).toBe(0);
  return (JSON.parse(listed.stdout) as { runs: Record<string, unknown>[] }).runs;
}

/** Traps a new user falls into (issue 14 #2, #3): fix-and-rerun, runs of other specs in the same folder. */
export const TRAP_CASES: readonly BadInputCase[] = [
  {
    name: 'run with a wrong REST URL (nothing delivered), fix the URL, run again: delivers without --restart',
    setup: async (w) => {
      writeFileSync(join(w.dir, 'manifest.yaml'), manifestYaml());
      writeFileSync(w.spec, spec([restDestination(w, {}, { url: wrongUrl(w) })]));
      const first = await floe(['egress', 'run', '--spec', w.spec], { env: secretsEnv(w) });
      expect(first.code).toBe(1);
      const [failed] = await listedRuns(w);
      expect(failed).toMatchObject({ status: 'failed', rowsDelivered: 0, batchesCommitted: 0 });
    },
    spec: (w) => spec([restDestination(w)]), // the URL fixed
    exit: 0,
    stderr: () => [],
    effect: async (run, world) => {
      expect(run.stderr).not.toContain('--restart');
      expect(world.accepted.flatMap((body) => body as unknown[])).toHaveLength(8);
      // `egress runs` stays truthful: the fixed run completed, the superseded one is failed (and finished).
      const runs = await listedRuns(world);
      expect(runs.map((r) => [r.status, r.rowsDelivered, r.target])).toEqual([
        ['completed', 8, `POST ${world.url}`],
        ['failed', 0, `POST ${wrongUrl(world)}`],
      ]);
      expect(runs[1]?.finishedAt).not.toBeNull();
    },
  },
  {
    name: 'a run that delivered rows, then another configuration: refused, saying what was delivered and what --restart does',
    setup: async (w) => {
      writeFileSync(join(w.dir, 'manifest.yaml'), manifestYaml());
      // batch 0 (3 rows) accepted, then the endpoint fails: 3 of 8 rows delivered, the run unfinished
      writeFileSync(w.spec, spec([restDestination(w, { batch_size: 3 })]));
      const first = await floe(['egress', 'run', '--spec', w.spec], { env: secretsEnv(w) });
      expect(first.code).toBe(1);
    },
    http: (request) => acceptFirst(request.url),
    spec: (w) => spec([restDestination(w, { batch_size: 4 })]), // batch_size changed
    exit: 3,
    stderr: () => [
      `the newest run of "crm"`,
      '(failed, 1/3 batches, 3 rows delivered), is unfinished and was made with another configuration',
      'pass --restart to start a new run instead: it delivers all 8 rows of the current snapshot from the first batch, and the 3 rows already delivered stay delivered',
      'nothing was written',
    ],
    effect: async (_run, world) => {
      expect(world.accepted.flatMap((body) => body as unknown[])).toHaveLength(3);
    },
  },
  {
    name: 'two specs of different products in one folder: egress runs --spec lists only that spec’s runs',
    setup: async (w) => {
      writeFileSync(join(w.dir, 'manifest.yaml'), manifestYaml());
      writeFileSync(w.spec, spec([restDestination(w)]));
      const own = await floe(['egress', 'run', '--spec', w.spec], { env: secretsEnv(w) });
      expect(own.code).toBe(0);
      // another product, with a destination of the same name, sharing .floe/state.db
      const other = join(w.dir, 'other.yaml');
      const text = specYaml([restDestination(w)]).replace('name: e2e', 'name: other-product');
      writeFileSync(other, text);
      const theirs = await floe(['egress', 'run', '--spec', other], { env: secretsEnv(w) });
      expect(theirs.code).toBe(0);
    },
    spec: (w) => spec([restDestination(w)]),
    command: ['egress', 'runs', '--json'],
    exit: 0,
    stderr: () => [],
    effect: async (run, world) => {
      const runs = (JSON.parse(run.stdout) as { runs: Record<string, unknown>[] }).runs;
      expect(runs.map((r) => [r.product, r.destination, r.status])).toEqual([['e2e', 'crm', 'completed']]);
      const others = await listedRuns(world, join(world.dir, 'other.yaml'));
      expect(others.map((r) => [r.product, r.destination, r.status])).toEqual([['other-product', 'crm', 'completed']]);
    },
  },
];

const seen = new Set<string>();
/** The first request to a URL is accepted, every later one fails (500): a run that stops after one batch. */
function acceptFirst(url: string): { status: number; body: unknown } {
  if (seen.has(url)) return { status: 500, body: { error: 'down' } };
  seen.add(url);
  return { status: 200, body: {} };
}

/** A copy of the 8-row table in the case's folder whose current snapshot's manifest list is corrupt. */
function corruptManifestList(world: CaseWorld): void {
  const table = join(world.dir, 'tbl');
  cpSync(NULLS, table, { recursive: true });
  const metadata = join(table, 'metadata');
  const newest = readdirSync(metadata)
    .filter((file) => file.endsWith('.metadata.json'))
    .sort()
    .at(-1) as string;
  const meta = JSON.parse(readFileSync(join(metadata, newest), 'utf8')) as {
    'current-snapshot-id': number;
    snapshots: { 'snapshot-id': number; 'manifest-list': string }[];
  };
  const current = meta.snapshots.find((s) => s['snapshot-id'] === meta['current-snapshot-id']);
  writeFileSync(join(metadata, basename(current?.['manifest-list'] ?? '')), 'not avro\n');
}

/** Smaller ones (issue 14 #9). */
export const SMALL_TRAP_CASES_2: readonly BadInputCase[] = [
  {
    name: 'floe egress plan of a table with a corrupt manifest list prints only the error (no "rows: 0 in 0 batches")',
    setup: async (w) => corruptManifestList(w),
    spec: (w) => spec([restDestination(w, { source_table: './tbl' })]),
    command: ['egress', 'plan'],
    exit: 1,
    stderr: (w) => [
      `${w.spec}: destinations[0].source_table: cannot count the rows of "./tbl": `,
      'invalid magic bytes',
    ],
    effect: async (run, world) => {
      expect(run.stdout).not.toMatch(/rows: /);
      expect(run.stdout).not.toContain('0 batches');
      expect(run.stderr).not.toContain('cannot read the first rows'); // one error, not two
      expect(run.stdout).toContain('Fix the problems above');
      expect(world.requests()).toEqual([]);
    },
  },
];
