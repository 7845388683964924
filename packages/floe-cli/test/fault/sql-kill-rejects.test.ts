import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMysqlDatabase, createPgSchema, type MysqlTestDatabase, type PgTestSchema } from '@floe/test-harness';
import { FIXTURES, asText, lakehouseRows, receipts, sorted, tempDir, writeProject } from '../e2e/helpers.js';
import { killAt, killTargets, runCli, startCli, type KillPoint } from './support/cli-process.js';
import { faultSeed, mulberry32, withSeed } from './support/prng.js';

const LINEITEM = join(FIXTURES, 'duckdb-iceberg/iceberg/lineitem_iceberg');
const ROWS = 51_793;
const BATCH_SIZE = 1_000;
const BATCHES = Math.ceil(ROWS / BATCH_SIZE);
/** SIGKILLs per test: 15 in CI; `FLOE_STRESS_LOOPS` for a nightly-size loop (e.g. 60). */
const KILLS = Number(process.env.FLOE_STRESS_LOOPS ?? 15);
/** The CHECK constraint refuses the rows of this quantity (546 of lineitem's rows). */
const REFUSED_QUANTITY = 7;

const COLUMNS: readonly (readonly [string, string, string])[] = [
  ['l_orderkey', 'bigint', 'bigint'],
  ['l_partkey', 'bigint', 'bigint'],
  ['l_suppkey', 'bigint', 'bigint'],
  ['l_linenumber', 'bigint', 'bigint'],
  ['l_quantity', 'numeric(15,2)', 'decimal(15,2)'],
  ['l_extendedprice', 'numeric(15,2)', 'decimal(15,2)'],
  ['l_discount', 'numeric(15,2)', 'decimal(15,2)'],
  ['l_tax', 'numeric(15,2)', 'decimal(15,2)'],
  ['l_returnflag', 'text', 'longtext'],
  ['l_linestatus', 'text', 'longtext'],
  ['l_shipdate', 'date', 'date'],
  ['l_commitdate', 'date', 'date'],
  ['l_receiptdate', 'date', 'date'],
  ['l_shipinstruct', 'text', 'longtext'],
  ['l_shipmode', 'text', 'longtext'],
  ['l_comment', 'text', 'longtext'],
];

/** A database under test: how to create the constrained table, count committed batches and read rows as text. */
interface Target {
  readonly name: string;
  readonly disposition: 'append' | 'merge';
  url(): string;
  table(): string;
  create(): Promise<void>;
  committed(destination: string): Promise<number>;
  rowsText(): Promise<Record<string, string | null>[]>;
}

/**
 * SIGKILL the built CLI again and again while it delivers lineitem into a table whose CHECK constraint refuses
 * some rows (issue 13 §2), then rerun it to completion: the final attempt's `<destination>.rejected.jsonl` and
 * its receipt list every row the run rejected — in whichever attempt — exactly once, with its values; the ledger's
 * count agrees; and the table holds every other row exactly once, value for value.
 */
describe('floe egress run with rejected rows, killed with SIGKILL again and again', () => {
  let pg: PgTestSchema;
  let my: MysqlTestDatabase;
  let project: { dir: string; cleanup: () => void };
  let source: Record<string, unknown>[];

  beforeAll(async () => {
    pg = await createPgSchema('floe_rejkill');
    my = await createMysqlDatabase('floe_rejkill');
    project = tempDir('floe-fault-rejects-');
    source = await lakehouseRows(LINEITEM);
  });
  afterAll(async () => {
    await pg.drop();
    await my.drop();
    project.cleanup();
  });

  const refused = (row: Record<string, unknown>): boolean => Number(row.l_quantity) === REFUSED_QUANTITY;

  const targets: Target[] = [
    {
      name: 'pg',
      disposition: 'append',
      url: () => pg.url,
      table: () => `${pg.schema}.lineitem`,
      async create() {
        const columns = COLUMNS.map(([name, type]) => `"${name}" ${type}`).join(', ');
        await pg.query(
          `CREATE TABLE "${pg.schema}".lineitem (${columns}, CONSTRAINT quantity_ok CHECK (l_quantity <> ${REFUSED_QUANTITY}))`,
        );
      },
      async committed(destination) {
        try {
          const rows = await pg.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM "${pg.schema}"._floe_ledger l JOIN "${pg.schema}"._floe_runs r USING (run_id)
              WHERE l.state = 'committed' AND r.destination = $1`,
            [destination],
          );
          return rows[0]?.n ?? 0;
        } catch {
          return 0;
        }
      },
      async rowsText() {
        const list = COLUMNS.map(([c]) => `"${c}"::text AS "${c}"`).join(', ');
        return pg.query<Record<string, string | null>>(`SELECT ${list} FROM "${pg.schema}".lineitem`);
      },
    },
    {
      name: 'mariadb',
      disposition: 'merge',
      url: () => my.url,
      table: () => 'lineitem',
      async create() {
        const columns = COLUMNS.map(([name, , type]) => `\`${name}\` ${type}`).join(', ');
        await my.query(
          `CREATE TABLE lineitem (${columns}, PRIMARY KEY (l_orderkey, l_linenumber), CONSTRAINT quantity_ok CHECK (l_quantity <> ${REFUSED_QUANTITY}))`,
        );
      },
      async committed(destination) {
        try {
          const rows = await my.query<{ n: number | string }>(
            `SELECT count(*) AS n FROM _floe_ledger l JOIN _floe_runs r USING (run_id)
              WHERE l.state = 'committed' AND r.destination = ?`,
            [destination],
          );
          return Number(rows[0]?.n ?? 0);
        } catch {
          return 0;
        }
      },
      async rowsText() {
        const list = COLUMNS.map(([c]) => `CAST(\`${c}\` AS CHAR) AS \`${c}\``).join(', ');
        return my.query<Record<string, string | null>>(`SELECT ${list} FROM lineitem`);
      },
    },
  ];

  for (const target of targets) {
    it(`reports every rejected row exactly once after ${KILLS} kills and a rerun (${target.name} ${target.disposition})`, async () => {
      const seed = faultSeed();
      const random = mulberry32(seed);
      await withSeed(seed, async () => {
        await target.create();
        const name = `lineitem-${target.name}`;
        const dir = join(project.dir, target.name);
        const spec = writeProject(dir, [
          {
            name,
            sink_type: 'sql_database',
            connection_secret_ref: 'dw',
            source_table: LINEITEM,
            batch_size: BATCH_SIZE,
            config: {
              table: target.table(),
              write_disposition: target.disposition,
              ...(target.disposition === 'merge' && { primary_key: ['l_orderkey', 'l_linenumber'] }),
            },
          },
        ]);
        const env = { FLOE_SECRET_DW_URL: target.url() };
        const args = ['egress', 'run', '--spec', spec, '--json'];
        const committed = (): Promise<number> => target.committed(name);
        const started = Date.now();
        const points: KillPoint[] = [];
        for (const at of killTargets(random, KILLS, BATCHES - 5)) {
          points.push(
            await killAt(startCli(args, env, dir), { committed, target: at, jitterMs: Math.floor(random() * 40) }),
          );
        }
        console.log(
          `${name}: seed ${seed}, ${KILLS} kills at committed batches ${points.map((p) => `${p.committedAtKill}+${p.jitterMs}ms`).join(', ')} (${Date.now() - started} ms)`,
        );
        expect(points.filter((point) => point.midRun).length).toBeGreaterThanOrEqual(Math.ceil(KILLS * 0.8));

        const final = await runCli(args, env, dir, 120_000);
        expect(final.stderr()).not.toMatch(/failed|error/i);
        expect(final.code).toBe(2);
        const event = final.events.find((e) => e.event === 'receipt') as {
          receipt: { errors: { row: number; category: string; message: string }[] };
          delivery: Record<string, unknown>;
        };
        const expectedRejected = source.flatMap((row, index) => (refused(row) ? [index] : []));
        expect(expectedRejected.length).toBe(546);
        expect(event.delivery).toMatchObject({
          resumed: true,
          status: 'completed',
          rowsDelivered: ROWS - expectedRejected.length,
          rowsRejected: expectedRejected.length,
          batchesCommitted: BATCHES,
        });

        // The receipt lists each rejected row of the run once.
        const errorRows = event.receipt.errors.map((error) => error.row);
        expect([...errorRows].sort((a, b) => a - b)).toEqual(expectedRejected);
        for (const error of event.receipt.errors) expect(error.category).toBe('PERMANENT');

        // So does the final attempt's rejected-rows file, with each row's values.
        const [key] = Object.keys(receipts(join(dir, '.floe'))).filter((k) =>
          k.startsWith(String(final.events[0]?.runId)),
        );
        const lines = readFileSync(join(dir, '.floe', 'runs', `${String(key)}.rejected.jsonl`), 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as { row: number; values: Record<string, unknown>; reason: string });
        expect(lines.map((line) => line.row).sort((a, b) => a - b)).toEqual(expectedRejected);
        for (const line of lines) {
          expect(asText(line.values)).toEqual(asText(source[line.row] as Record<string, unknown>));
          expect(line.reason).toMatch(/quantity_ok|check/i);
        }

        // The table holds every other row exactly once, value for value.
        const landed = sorted(await target.rowsText());
        const expected = sorted(source.filter((row) => !refused(row)).map((row) => asText(row)));
        expect(landed.length).toBe(expected.length);
        expect(landed).toEqual(expected);
      });
    }, 600_000);
  }
});
