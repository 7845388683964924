import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { createPgSchema, type PgTestSchema } from '@floe/test-harness';
import { tempDir, writeProject } from '../e2e/helpers.js';
import { eventOrExit, startCli } from './support/cli-process.js';
import { writeSourceTable, type SourceRow } from './support/source-table.js';

const ROWS = 200_000;
const BATCH_SIZE = 500;
const BATCHES = ROWS / BATCH_SIZE;
/** The `application_name` of the sql_database sink's sessions. */
const SINK_APPLICATION = 'floe-sql-database';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The server drops the sink's connections mid-run (`pg_terminate_backend`, as a failover or an admin
 * would): the run retries and completes, and the table holds every row exactly once.
 */
describe('floe egress run → PostgreSQL whose connections are terminated mid-run', () => {
  let pg: PgTestSchema;
  let project: { dir: string; cleanup: () => void };
  let source: SourceRow[];

  beforeAll(async () => {
    pg = await createPgSchema('floe_fault_term');
    project = tempDir('floe-fault-term-');
    source = await writeSourceTable(join(project.dir, 'gold'), ROWS);
  });
  afterAll(async () => {
    await pg.drop();
    project.cleanup();
  });

  /** Terminates the sink's sessions working on this test's schema (and no one else's); returns how many. */
  async function terminateSink(): Promise<number> {
    const rows = await pg.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = $1 AND datname = current_database() AND pid <> pg_backend_pid()
            AND state = 'active' AND query LIKE '%' || $2 || '%') AS killed`,
      [SINK_APPLICATION, pg.schema],
    );
    return rows[0]?.n ?? 0;
  }

  async function committed(): Promise<number> {
    try {
      return (
        (
          await pg.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM "${pg.schema}"._floe_ledger WHERE state = 'committed'`,
          )
        )[0]?.n ?? 0
      );
    } catch {
      return 0;
    }
  }

  it('retries, completes and delivers every row exactly once', async () => {
    const spec = writeProject(project.dir, [
      {
        name: 'pg-append',
        sink_type: 'sql_database',
        connection_secret_ref: 'dw',
        source_table: join(project.dir, 'gold'),
        batch_size: BATCH_SIZE,
        config: { table: `${pg.schema}.items`, write_disposition: 'append' },
      },
    ]);
    const cli = startCli(['egress', 'run', '--spec', spec, '--json'], { FLOE_SECRET_DW_URL: pg.url }, project.dir);
    await eventOrExit(cli, 'destination.started');
    const terminations: { atBatch: number; sessions: number }[] = [];
    for (const target of [10, 35, 60]) {
      while (!cli.done() && (await committed()) < target) await sleep(5);
      // Catch the sink in the middle of a statement on this schema (COPY, the ledger record).
      let sessions = 0;
      for (let tries = 0; sessions === 0 && !cli.done() && tries < 2_000; tries++) sessions = await terminateSink();
      terminations.push({ atBatch: await committed(), sessions });
    }
    const { code } = await cli.exited;
    console.log(
      `terminated the sink's sessions at batches ${terminations.map((t) => `${t.atBatch} (${t.sessions})`).join(', ')}`,
    );
    // The run's own account first: if it stopped, why (its stderr and last events) is the failure to read.
    const tail = cli.events.slice(-5).map((event) => JSON.stringify(event));
    expect({ code, stderr: code === 0 ? '' : cli.stderr(), events: code === 0 ? [] : tail }).toEqual({
      code: 0,
      stderr: '',
      events: [],
    });
    expect(terminations.filter((t) => t.sessions > 0).length).toBe(3);
    expect(terminations.every((t) => t.atBatch < BATCHES)).toBe(true);
    const receipt = cli.events.find((event) => event.event === 'receipt') as {
      status: string;
      receipt: { rowsDelivered: number };
      delivery: Record<string, unknown>;
    };
    expect(receipt.status).toBe('delivered');
    expect(receipt.receipt.rowsDelivered).toBe(ROWS);
    expect(receipt.delivery).toMatchObject({ rowsDelivered: ROWS, batchesCommitted: BATCHES, status: 'completed' });
    const rows = await pg.query<SourceRow>(`SELECT id::int AS id, name, amount FROM "${pg.schema}".items ORDER BY id`);
    expect(rows.length).toBe(ROWS);
    expect(rows).toEqual(source);
  }, 90_000);
});
