import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import {
  createMysqlDatabase,
  createPgSchema,
  startHttpTarget,
  type HttpTarget,
  type MysqlTestDatabase,
  type PgTestSchema,
} from '@floe/test-harness';
import { tempDir, writeProject } from '../e2e/helpers.js';
import { startCli, type CliProcess } from './support/cli-process.js';
import { writeSourceTable, type SourceRow } from './support/source-table.js';

const ROWS = 1_000;
const BATCH_SIZE = 100;
/** Rounds of each concurrency (2, 4 and 8 runs at once). CI: 1 (3 rounds per case); nightly: FLOE_STRESS_LOOPS=20. */
const LOOPS = Math.max(1, Number(process.env.FLOE_STRESS_LOOPS ?? 1) || 1);
const CONCURRENCY = [2, 4, 8] as const;

/** A way to hold the destination still: the run that got the lease blocks on it until `open()`. */
interface Gate {
  close(): Promise<void>;
  open(): Promise<void>;
}

/** One destination under test: how to configure it, gate it and read it back. */
interface Case {
  readonly name: string;
  readonly disposition: 'append' | 'merge' | 'replace';
  readonly destination: (table: string) => Record<string, unknown>;
  readonly env: Record<string, string>;
  /** Creates the (empty) target table, so a gate can lock it before the first run. */
  readonly create: (table: string) => Promise<void>;
  readonly gate: (table: string) => Gate;
  readonly rows: (table: string) => Promise<SourceRow[]>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `count` of the processes ended, or after `ms` (whichever comes first). */
async function untilExited(clis: readonly CliProcess[], count: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (clis.filter((cli) => cli.done()).length < count && Date.now() < deadline) await sleep(20);
}

/**
 * N `floe egress run` of one destination started at once (a cron overlap, an orchestrator retry). The
 * process that takes the destination's run lease is held at the destination (a table lock, an API that does
 * not answer yet) until every other one has given up: with `--wait-lock` 0 each of them must exit 1 naming
 * the holder, and the destination must equal the source exactly — before the lease, every process delivered
 * (an append ended with N × the rows). Merge and replace are also run with `--wait-lock`: each run then waits
 * its turn and all exit 0.
 */
describe('concurrent floe egress run of one destination', () => {
  let pg: PgTestSchema;
  let my: MysqlTestDatabase;
  let api: HttpTarget;
  let apiGate: Promise<void> = Promise.resolve();
  let openApi: () => void = () => undefined;
  const received = new Map<string, SourceRow[]>();
  let project: { dir: string; cleanup: () => void };
  let source: SourceRow[];
  const gold = (): string => join(project.dir, 'gold');

  beforeAll(async () => {
    pg = await createPgSchema('floe_lease');
    my = await createMysqlDatabase('floe_lease');
    api = await startHttpTarget(async (request) => {
      await apiGate;
      const path = request.url;
      received.set(path, [...(received.get(path) ?? []), ...(request.body as SourceRow[])]);
      return { status: 201, body: {} };
    });
    project = tempDir('floe-lease-');
    source = await writeSourceTable(gold(), ROWS);
  });
  afterAll(async () => {
    await api.close();
    await pg.drop();
    await my.drop();
    project.cleanup();
  });

  const pgRows = async (table: string): Promise<SourceRow[]> =>
    pg.query<SourceRow>(`SELECT id::int AS id, name, amount FROM "${pg.schema}"."${table}" ORDER BY id`);
  const pgCreate = async (table: string): Promise<void> => {
    await pg.query(
      `CREATE TABLE "${pg.schema}"."${table}" (id bigint PRIMARY KEY, name text, amount double precision)`,
    );
  };
  const pgGate = (table: string): Gate => {
    let release: (() => Promise<void>) | undefined;
    return {
      async close() {
        const client = await pg.pool.connect();
        await client.query('BEGIN');
        await client.query(`LOCK TABLE "${pg.schema}"."${table}" IN ACCESS EXCLUSIVE MODE`);
        release = async () => {
          await client.query('COMMIT');
          client.release();
        };
      },
      async open() {
        await release?.();
        release = undefined;
      },
    };
  };
  const pgCase = (disposition: Case['disposition']): Case => ({
    name: `pg-${disposition}`,
    disposition,
    env: { FLOE_SECRET_DW_URL: pg.url },
    destination: (table) => ({
      sink_type: 'sql_database',
      connection_secret_ref: 'dw',
      config: {
        table: `${pg.schema}.${table}`,
        write_disposition: disposition,
        ...(disposition === 'merge' && { primary_key: ['id'] }),
      },
    }),
    create: pgCreate,
    gate: pgGate,
    rows: pgRows,
  });
  const cases = (): Case[] => [
    pgCase('append'),
    pgCase('merge'),
    pgCase('replace'),
    {
      name: 'mariadb-append',
      disposition: 'append',
      env: { FLOE_SECRET_DW_URL: my.url },
      destination: (table) => ({
        sink_type: 'sql_database',
        connection_secret_ref: 'dw',
        config: { table, write_disposition: 'append' },
      }),
      create: async (table) => {
        await my.query(`CREATE TABLE \`${table}\` (id bigint PRIMARY KEY, name text, amount double)`);
      },
      gate: (table) => ({
        async close() {
          await my.query(`LOCK TABLES \`${table}\` WRITE`);
        },
        async open() {
          await my.query('UNLOCK TABLES');
        },
      }),
      rows: async (table) =>
        (await my.query<SourceRow>(`SELECT id, name, amount FROM \`${table}\` ORDER BY id`)).map((row) => ({
          id: Number(row.id),
          name: row.name,
          amount: Number(row.amount),
        })),
    },
    {
      name: 'rest-append',
      disposition: 'append',
      env: { FLOE_SECRET_API_TOKEN: 'tok-lease' },
      destination: (table) => ({
        sink_type: 'rest_api',
        connection_secret_ref: 'api',
        config: { url: `${api.url}/${table}` },
      }),
      create: async () => undefined,
      gate: () => ({
        async close() {
          apiGate = new Promise((resolve) => (openApi = resolve));
        },
        async open() {
          openApi();
        },
      }),
      rows: async (table) =>
        [...(received.get(`/${table}`) ?? [])]
          .map((row) => ({ id: Number(row.id), name: row.name, amount: Number(row.amount) }))
          .sort((a, b) => a.id - b.id),
    },
  ];

  let serial = 0;
  /** Starts `n` runs of a fresh destination of `c` at once; returns them with the table and the gate. */
  async function startRuns(c: Case, n: number, extra: readonly string[]) {
    serial += 1;
    const table = `t_${c.name.replace(/-/g, '_')}_${serial}`;
    const dir = join(project.dir, `${c.name}-${serial}`);
    const spec = writeProject(dir, [
      { name: c.name, source_table: gold(), batch_size: BATCH_SIZE, ...c.destination(table) },
    ]);
    await c.create(table);
    const gate = c.gate(table);
    await gate.close();
    const args = ['egress', 'run', '--spec', spec, '--json', ...extra];
    const clis = Array.from({ length: n }, () => startCli(args, c.env, dir));
    return { table, gate, clis };
  }

  for (const c of ['pg-append', 'pg-merge', 'pg-replace', 'mariadb-append', 'rest-append']) {
    it(
      `delivers the source exactly once when 2, 4 and 8 runs of ${c} start at once (${LOOPS}× each)`,
      async () => {
        const k = cases().find((x) => x.name === c) as Case;
        const started = Date.now();
        for (let loop = 0; loop < LOOPS; loop++) {
          for (const n of CONCURRENCY) {
            const { table, gate, clis } = await startRuns(k, n, []);
            // Every process but the lease holder gives up at once; the holder waits at the gate.
            await untilExited(clis, n - 1, 30_000);
            await gate.open();
            const ends = await Promise.all(clis.map((cli) => cli.exited));
            const codes = ends.map((end) => end.code).sort();
            const context = `${c}, ${n} at once, round ${loop + 1}: ${clis.map((cli) => cli.stderr()).join(' | ')}`;
            expect({ context, codes }).toEqual({ context, codes: [0, ...Array<number>(n - 1).fill(1)] });
            for (const cli of clis.filter((x) => x.events.every((event) => event.event !== 'receipt'))) {
              expect(cli.stdout()).toMatch(
                new RegExp(
                  `destination ${c} is being delivered by run \\S+ \\(pid \\d+ on host \\S+, heartbeat \\d+ s ago\\)`,
                ),
              );
            }
            const rows = await k.rows(table);
            expect(rows.length).toBe(ROWS);
            expect(rows).toEqual(source);
          }
        }
        console.log(`${c}: ${LOOPS} × (2, 4, 8) concurrent runs in ${Date.now() - started} ms`);
      },
      60_000 * LOOPS,
    );
  }

  for (const c of ['pg-merge', 'pg-replace']) {
    it(`lets 4 runs of ${c} take turns with --wait-lock and still equals the source`, async () => {
      const k = cases().find((x) => x.name === c) as Case;
      const { table, gate, clis } = await startRuns(k, 4, ['--wait-lock', '60s']);
      await sleep(1_500);
      expect(clis.filter((cli) => cli.done())).toHaveLength(0);
      await gate.open();
      const ends = await Promise.all(clis.map((cli) => cli.exited));
      expect({ codes: ends.map((end) => end.code), stderr: clis.map((cli) => cli.stderr()) }).toEqual({
        codes: [0, 0, 0, 0],
        stderr: ['', '', '', ''],
      });
      expect(await k.rows(table)).toEqual(source);
    }, 90_000);
  }
});
