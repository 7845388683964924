import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { killAt, runCli, startCli } from '../fault/support/cli-process.js';
import { FIXTURES, REPO, floe, lakehouseRows, receipts, tempDir, writeProject } from './helpers.js';

/** The slice of better-sqlite3 this test uses (the package ships no types here). */
interface SqliteDatabase {
  prepare(sql: string): { get(): unknown };
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string,
  options: { readonly: boolean; fileMustExist: boolean },
) => SqliteDatabase;

const LINEITEM = join(FIXTURES, 'duckdb-iceberg/iceberg/lineitem_iceberg');
const ROWS = 51_793;
const FIXTURE = join(REPO, 'tests/fixtures/floe-sink-jsonl');
const SINKS = ['jsonl_file', 'jsonl_basic'];

/** What identifies a lineitem row and a few of its values, as text. */
const rowKey = (row: Record<string, unknown>): string =>
  ['l_orderkey', 'l_linenumber', 'l_partkey', 'l_suppkey', 'l_returnflag', 'l_comment']
    .map((c) => String(row[c]))
    .join('|');

/** The rows of a JSON-lines file (the sink's `_floe_batch` tag dropped). */
function fileRows(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const { _floe_batch: _batch, ...row } = JSON.parse(line) as Record<string, unknown>;
      return row;
    });
}

/** Complete lines in a file (0 when it does not exist). */
function lineCount(file: string): number {
  if (!existsSync(file)) return 0;
  const bytes = readFileSync(file);
  let lines = 0;
  for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) lines += 1;
  return lines;
}

/**
 * A third party's sink, installed next to floe.yaml (`node_modules/floe-sink-jsonl`, found through its
 * package.json `floe.plugins`), validated, planned and run by the built CLI — resumable and exactly once
 * after SIGKILL; and the same package's four-methods-only sink, delivered at least once.
 */
describe('a third-party sink installed next to floe.yaml (floe-sink-jsonl)', () => {
  let project: { dir: string; cleanup: () => void };
  let sourceKeys: string[];

  const destination = (name: string, file: string, extra: Record<string, unknown> = {}) => ({
    name,
    sink_type: 'jsonl_file',
    connection_secret_ref: name,
    source_table: LINEITEM,
    config: { file },
    ...extra,
  });

  beforeAll(async () => {
    project = tempDir('floe-third-party-');
    mkdirSync(join(project.dir, 'node_modules/@floe'), { recursive: true });
    symlinkSync(FIXTURE, join(project.dir, 'node_modules/floe-sink-jsonl'), 'dir');
    for (const pkg of ['core', 'delivery'])
      symlinkSync(join(REPO, `packages/floe-${pkg}`), join(project.dir, `node_modules/@floe/${pkg}`), 'dir');
    sourceKeys = (await lakehouseRows(LINEITEM)).map(rowKey).sort();
    expect(sourceKeys).toHaveLength(ROWS);
  }, 60_000);
  afterAll(() => project.cleanup());

  it('validate passes a good config and rejects a bad one with the sink’s own message', async () => {
    const dir = join(project.dir, 'validate');
    const good = writeProject(dir, [destination('lines', 'out/lines.jsonl')], { sinks: SINKS });
    expect((await floe(['validate', '--spec', good])).code).toBe(0);

    writeProject(dir, [destination('lines', 'out/lines.txt')], { sinks: SINKS });
    const bad = await floe(['validate', '--spec', good]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('floe.yaml: destinations[0].config.file: must end with .jsonl (got "out/lines.txt")');

    writeProject(dir, [{ ...destination('lines', 'x.jsonl'), config: {} }], { sinks: SINKS });
    const missing = await floe(['validate', '--spec', good]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(
      "floe.yaml: destinations[0].config.file: required: the .jsonl file the rows are appended to (relative to floe.yaml's folder)",
    );
  });

  it('plans, runs every row of lineitem_iceberg into the file, and lists the run', async () => {
    const dir = join(project.dir, 'run');
    const spec = writeProject(dir, [destination('lines', 'out/lines.jsonl', { batch_size: 5_000 })], {
      sinks: SINKS,
    });
    const file = join(dir, 'out/lines.jsonl');

    const plan = await floe(['egress', 'plan', '--spec', spec]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`target:      file ${file}`);
    expect(plan.stdout).toContain('delivery:    exactly-once');
    expect(plan.stdout).toContain('first 5 records as sent (JSON)');
    const planJson = await floe(['egress', 'plan', '--spec', spec, '--json']);
    expect(planJson.events[0]).toMatchObject({
      destinations: [{ name: 'lines', rows: ROWS, batches: 11, guarantee: 'exactly-once', target: `file ${file}` }],
    });
    expect(existsSync(file)).toBe(false);

    const run = await floe(['egress', 'run', '--spec', spec, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(fileRows(file).map(rowKey).sort()).toEqual(sourceKeys);
    const [record] = Object.values(receipts(join(dir, '.floe')));
    expect(record).toMatchObject({ status: 'delivered', guarantee: 'exactly-once', target: `file ${file}` });
    expect(record?.delivery).toMatchObject({ status: 'completed', rowsDelivered: ROWS, batchesCommitted: 11 });

    const runs = await floe(['egress', 'runs', '--spec', spec, '--json']);
    expect(runs.code).toBe(0);
    expect((runs.events[0] as { runs: unknown[] }).runs).toEqual([
      expect.objectContaining({
        destination: 'lines',
        sinkType: 'jsonl_file',
        status: 'completed',
        rowsDelivered: ROWS,
      }),
    ]);
  }, 120_000);

  it('holds every source row exactly once after SIGKILLs mid-run and a rerun', async () => {
    const dir = join(project.dir, 'kill');
    const spec = writeProject(dir, [destination('lines', 'out/lines.jsonl', { batch_size: 500 })], { sinks: SINKS });
    const file = join(dir, 'out/lines.jsonl');
    const args = ['egress', 'run', '--spec', spec, '--json'];
    // Committed batches as the state store records them (absolute over attempts, unlike progress events).
    let db: SqliteDatabase | undefined;
    const committed = async (): Promise<number> => {
      try {
        db ??= new Database(join(dir, '.floe/state.db'), { readonly: true, fileMustExist: true });
        return (db.prepare(`SELECT count(*) AS n FROM _floe_ledger WHERE state = 'committed'`).get() as { n: number })
          .n;
      } catch {
        return 0; // not created yet
      }
    };
    const points = [];
    for (const [target, jitterMs] of [
      [3, 0],
      [35, 7],
      [70, 3],
    ] as const) {
      points.push(await killAt(startCli(args, {}, dir), { committed, target, jitterMs }));
    }
    // One more kill aimed between a batch's bytes and its committed mark: the rerun must cut that batch back.
    const cli = startCli(args, {}, dir);
    let caught = false;
    while (!cli.done()) {
      const lines = lineCount(file); // before the committed count: lines beyond it were not committed yet
      const done = await committed();
      caught = lines > done * 500;
      // Past batch 95 of 104 without catching that moment, kill anyway: still mid-run.
      if (caught || done >= 95) {
        cli.child.kill('SIGKILL');
        break;
      }
    }
    await cli.exited;
    db?.close();
    expect(points.filter((point) => point.midRun).length).toBeGreaterThanOrEqual(1);
    const beforeRerun = fileRows(file).length;
    expect(beforeRerun).toBeLessThan(ROWS);

    const final = await runCli(args, {}, dir, 90_000);
    expect(final.stderr()).toBe('');
    expect(final.code).toBe(0);
    const receipt = final.events.find((event) => event.event === 'receipt') as { delivery: Record<string, unknown> };
    expect(receipt.delivery).toMatchObject({ resumed: true, rowsDelivered: ROWS, status: 'completed' });
    console.log(
      `jsonl kills at committed batches ${points.map((p) => `${p.committedAtKill}+${p.jitterMs}ms`).join(', ')}; ` +
        `${caught ? 'then aimed between a batch and its commit; ' : ''}${beforeRerun} rows in the file before the rerun, ` +
        `${String(receipt.delivery.batchesResent)} batch(es) re-sent`,
    );
    const keys = fileRows(file).map(rowKey).sort();
    expect(keys).toHaveLength(ROWS);
    expect(keys).toEqual(sourceKeys);
  }, 180_000);

  it('runs a sink that implements only the four methods, and says it is at-least-once', async () => {
    const dir = join(project.dir, 'basic');
    const file = join(dir, 'basic.jsonl');
    const spec = writeProject(dir, [{ ...destination('basic', file), sink_type: 'jsonl_basic' }], { sinks: SINKS });
    const env = { FLOE_SECRET_BASIC_TOKEN: 'unused' };
    expect((await floe(['validate', '--spec', spec], { env })).code).toBe(0);

    const plan = await floe(['egress', 'plan', '--spec', spec], { env });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('delivery:    at-least-once');
    const planJson = await floe(['egress', 'plan', '--spec', spec, '--json'], { env });
    expect(planJson.events[0]).toMatchObject({ destinations: [{ name: 'basic', guarantee: 'at-least-once' }] });

    const run = await floe(['egress', 'run', '--spec', spec], { env });
    expect(run.code).toBe(0);
    const [record] = Object.values(receipts(join(dir, '.floe')));
    expect(record).toMatchObject({ status: 'delivered', sinkType: 'jsonl_basic', guarantee: 'at-least-once' });
    expect(record).not.toHaveProperty('delivery');
    expect(fileRows(file).map(rowKey).sort()).toEqual(sourceKeys);
  }, 120_000);
});
