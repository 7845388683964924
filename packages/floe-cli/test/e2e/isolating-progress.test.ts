import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { createPgSchema, type PgTestSchema } from '@floe/test-harness';
import { writeSourceTable } from '../fault/support/source-table.js';
import { floe, tempDir, writeProject } from './helpers.js';

const ROWS = 10_000;
const BATCH = 5_000;

/** An `isolating` progress event's payload. */
interface Isolating {
  readonly batch: number;
  readonly rowsChecked: number;
  readonly rowsTotal: number;
  readonly rejectedSoFar: number;
}

describe('floe egress run: progress while a refused batch is isolated row by row (PostgreSQL)', () => {
  let pg: PgTestSchema;
  let root: { dir: string; cleanup: () => void };
  let source: string;

  beforeAll(async () => {
    pg = await createPgSchema('floe_isolating');
    root = tempDir('floe-isolating-');
    source = join(root.dir, 'source');
    await writeSourceTable(source, ROWS); // id 1…10,000
  });
  afterAll(async () => {
    await pg.drop();
    root.cleanup();
  });

  /** A project delivering the source into `<schema>.<table>`, a table whose CHECK refuses 3 rows in 4. */
  async function checkedProject(table: string): Promise<string> {
    await pg.query(
      `CREATE TABLE "${pg.schema}"."${table}" (id bigint, name text, amount double precision, CHECK (id % 4 = 0))`,
    );
    return writeProject(join(root.dir, table), [
      {
        name: 'checked',
        sink_type: 'sql_database',
        connection_secret_ref: 'warehouse-db',
        source_table: source,
        batch_size: BATCH,
        config: { table: `${pg.schema}.${table}` },
      },
    ]);
  }

  it('--json: isolating progress events before the receipt, with counts that add up to the receipt', async () => {
    const spec = await checkedProject('checked_json');
    const run = await floe(['egress', 'run', '--json', '--spec', spec], {
      env: { FLOE_SECRET_WAREHOUSE_DB_URL: pg.url },
    });
    expect(run.code).toBe(2); // partial: rows rejected
    const receiptAt = run.events.findIndex((event) => event.event === 'receipt');
    expect(receiptAt).toBeGreaterThan(0);
    const receipt = run.events[receiptAt]?.receipt as { rowsDelivered: number; rowsRejected: number };
    expect(receipt).toMatchObject({ rowsDelivered: ROWS / 4, rowsRejected: (ROWS * 3) / 4 });

    const isolating = run.events.flatMap((event, at) =>
      event.event === 'progress' && event.isolating !== undefined ? [{ at, ...(event.isolating as Isolating) }] : [],
    );
    expect(isolating.length).toBeGreaterThan(0);
    expect(isolating.every((event) => event.at < receiptAt)).toBe(true);
    for (const event of isolating) {
      expect(event.rowsTotal).toBe(BATCH);
      expect(event.rowsChecked).toBeLessThanOrEqual(event.rowsTotal);
      expect(event.rejectedSoFar).toBeLessThanOrEqual(event.rowsChecked);
    }
    // Each batch: told when it starts (nothing checked yet) and when every row was checked; counts only grow.
    const batches = [...new Set(isolating.map((event) => event.batch))].sort();
    expect(batches).toEqual([0, 1]);
    let rejected = 0;
    for (const batch of batches) {
      const told = isolating.filter((event) => event.batch === batch);
      expect(told[0]).toMatchObject({ rowsChecked: 0, rejectedSoFar: 0 });
      expect(told.at(-1)?.rowsChecked).toBe(BATCH);
      for (let i = 1; i < told.length; i++) {
        expect(told[i]?.rowsChecked).toBeGreaterThanOrEqual(told[i - 1]?.rowsChecked as number);
        expect(told[i]?.rejectedSoFar).toBeGreaterThanOrEqual(told[i - 1]?.rejectedSoFar as number);
      }
      rejected += told.at(-1)?.rejectedSoFar as number;
    }
    expect(rejected).toBe(receipt.rowsRejected); // the final counts are the receipt's
    const [landed] = await pg.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${pg.schema}"."checked_json"`);
    expect(Number(landed?.n)).toBe(receipt.rowsDelivered);
  });

  it('human output off a terminal: a line when the isolation of each batch starts and when it ends', async () => {
    const spec = await checkedProject('checked_human');
    const run = await floe(['egress', 'run', '--format', 'human', '--spec', spec], {
      env: { FLOE_SECRET_WAREHOUSE_DB_URL: pg.url },
    });
    expect(run.code).toBe(2);
    for (const batch of [0, 1]) {
      expect(run.stderr).toContain(
        `  checked: isolating rejected rows of batch ${batch}: 0/5,000 checked, 0 rejected\n`,
      );
      expect(run.stderr).toContain(
        `  checked: isolating rejected rows of batch ${batch}: 5,000/5,000 checked, 3,750 rejected\n`,
      );
    }
    expect(run.stdout).toMatch(/^▲ checked: partial — 2,500 rows delivered, 7,500 rejected/m);
  });
});
