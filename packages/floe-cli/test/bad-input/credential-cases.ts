import { expect } from '@jest/globals';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, type FloeRun } from '../e2e/helpers.js';
import {
  expectNoDelivery,
  expectNothingWritten,
  onlyReceipt,
  tableRows,
  secretsEnv,
  restDestination,
  spec,
  sqlDestination,
  type BadInputCase,
  type CaseWorld,
} from './corpus.js';

/** `<floe.yaml path>: <path>: <message>` as printed. */
const at = (world: CaseWorld, path: string, message: string): string => `${world.spec}: ${path}: ${message}`;

/** A password written into floe.yaml: it must appear nowhere in what floe prints or writes. */
const INLINE = 'inline-PW-7c41d9';
const USE_THE_SECRET = 'put it in the connection secret (connection_secret_ref), which floe never prints';
const USERINFO = `holds credentials (user:password@ before the host): ${USE_THE_SECRET} as username + password or token`;
const parameter = (name: string): string =>
  `query parameter "${name}" holds a credential: ${USE_THE_SECRET} (api_key, with api_key_header, or token)`;

/** The endpoint's URL with `admin:<INLINE>@` before the host. */
const withUserinfo = (world: CaseWorld): string => world.url.replace('://', `://admin:${INLINE}@`);

/** Nothing written, the inline credential nowhere, and in `--json` mode every stdout line is JSON. */
const refusedUnseen =
  (json: boolean) =>
  async (run: FloeRun, world: CaseWorld): Promise<void> => {
    await expectNothingWritten(world);
    expect(run.stdout + run.stderr).not.toContain(INLINE);
    if (json) {
      const lines = run.stdout.split('\n').filter((line) => line !== '');
      for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    }
  };

/** Every stdout line of a `--json` run is one JSON object. */
function expectJsonLines(run: FloeRun): void {
  for (const line of run.stdout.split('\n').filter((l) => l !== '')) {
    expect(() => JSON.parse(line) as unknown).not.toThrow();
  }
}

/** A connection secret that is a common word: too short to search for, warned about, nothing rewritten. */
const SHORT_SECRET_WARNING =
  'warning: connection secret "crm-api" key "token" is shorter than 8 characters: it is not searched for in ' +
  'output (only as a URL password or Basic credential); use a longer secret';
/** A wrong MariaDB password: the driver's "(using password: YES)" is kept, the password is not. */
const WRONG_PW = 'wrong-PW-52be07';

/** Redaction that hides values, not the words around them (issue 14 #6). */
export const REDACTION_CASES: readonly BadInputCase[] = [
  {
    name: 'a REST token that is a common word ("rows"): delivered, warned once, no receipt key rewritten',
    spec: (w) => spec([restDestination(w)]),
    args: () => ['--json'],
    env: (w) => ({ ...secretsEnv(w), FLOE_SECRET_CRM_API_TOKEN: 'rows' }),
    exit: 0,
    stderr: () => [SHORT_SECRET_WARNING],
    effect: async (run, world) => {
      expectJsonLines(run);
      expect(run.stderr.split(SHORT_SECRET_WARNING)).toHaveLength(2); // once
      expect(run.stdout + run.stderr).not.toContain('***');
      const receipt = run.events.find((event) => event.event === 'receipt')?.receipt as Record<string, unknown>;
      expect(receipt).toMatchObject({ status: 'delivered', rowsDelivered: 8 });
      expect(onlyReceipt(world).receipt).toMatchObject({ rowsDelivered: 8, rowsRejected: 0 });
      expect(world.requests()[0]?.headers.authorization).toBe('Bearer rows');
    },
  },
  {
    name: 'a wrong MariaDB password: "(using password: YES)" kept, the password nowhere',
    spec: (w) => spec([sqlDestination(w, {}, { table: 'target' })]),
    args: () => ['--json'],
    env: (w) => ({ ...secretsEnv(w), FLOE_SECRET_WAREHOUSE_DB_URL: `mysql://root:${WRONG_PW}@127.0.0.1:3306/mysql` }),
    exit: 1,
    stderr: () => ["Access denied for user 'root'@", '(using password: YES)'],
    effect: async (run, world) => {
      expectJsonLines(run);
      await expectNoDelivery(world, 1);
      expect(run.stdout + run.stderr + JSON.stringify(onlyReceipt(world))).not.toContain(WRONG_PW);
      expect(run.stdout + run.stderr).not.toContain('[redacted]');
    },
  },
];

/** Credentials written into floe.yaml instead of the connection secret (issue 14 #1). */
export const CREDENTIAL_CASES: readonly BadInputCase[] = [
  {
    name: 'a rest_api url with user:password@ (floe validate)',
    spec: (w) => spec([restDestination(w, {}, { url: withUserinfo(w) })]),
    command: ['validate'],
    exit: 3,
    stderr: (w) => [at(w, 'destinations[0].config.url', USERINFO)],
    effect: refusedUnseen(false),
  },
  {
    name: 'a rest_api url with ?api_key= (floe egress plan --json)',
    spec: (w) => spec([restDestination(w, {}, { url: `${w.url}?page=1&api_key=${INLINE}` })]),
    command: ['egress', 'plan'],
    args: () => ['--json'],
    exit: 3,
    stderr: (w) => [at(w, 'destinations[0].config.url', parameter('api_key'))],
    effect: refusedUnseen(true),
  },
  {
    name: 'a rest_api url with user:password@ (floe egress run --json: refused before the first request)',
    spec: (w) => spec([restDestination(w, {}, { url: withUserinfo(w) })]),
    args: () => ['--json'],
    exit: 3,
    stderr: (w) => [at(w, 'destinations[0].config.url', USERINFO)],
    effect: refusedUnseen(true),
  },
  {
    name: 'a rest_api base_url + path with ?access_token= (floe validate)',
    spec: (w) => spec([restDestination(w, {}, { url: undefined, base_url: w.url, path: `/x?Access-Token=${INLINE}` })]),
    command: ['validate'],
    exit: 3,
    stderr: (w) => [at(w, 'destinations[0].config.path', parameter('Access-Token'))],
    effect: refusedUnseen(false),
  },
  {
    name: 'a sql_database url in config instead of the secret (floe validate)',
    spec: (w) => spec([sqlDestination(w, {}, { url: `postgres://app:${INLINE}@127.0.0.1:5432/db` })]),
    command: ['validate'],
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].config.url',
        'the database URL holds credentials: put it in the connection secret (connection_secret_ref, key url), not in config',
      ),
    ],
    effect: refusedUnseen(false),
  },
];

/** A schema the case's sink must create: `<case schema>_new`, dropped once checked. */
const freshSchema = (world: CaseWorld): string => `${world.table.split('.')[0] ?? ''}_new`;

/** Smaller traps (issue 14 #9): what plan says, what a run creates, and the hint for a folder name. */
export const SMALL_TRAP_CASES: readonly BadInputCase[] = [
  {
    name: 'body: record with batch_size 3 (floe egress plan says one request per row, not 3 batches)',
    spec: (w) => spec([restDestination(w, { batch_size: 3 }, { body: 'record' })]),
    command: ['egress', 'plan'],
    exit: 0,
    stderr: () => [],
    effect: async (run, world) => {
      expect(run.stdout).toMatch(/rows: +8 in 8 requests \(one per row\)/);
      expect(run.stdout).not.toContain('batches');
      await expectNothingWritten(world);
    },
  },
  {
    name: 'a SQLite file under a folder whose parent does not exist (not created: a configuration error)',
    spec: (w) => spec([sqlDestination(w, {}, { table: 'target' })]),
    env: (w) => ({ ...secretsEnv(w), FLOE_SECRET_WAREHOUSE_DB_URL: `sqlite:/nonexistent-floe-${w.id}/dir/x.db` }),
    exit: 3,
    stderr: (w) => [
      `${w.spec}: destinations[0]: cannot create the sql_database sink: the SQLite file's folder /nonexistent-floe-${w.id}/dir does not exist, nor does its parent: create it, or put the file below floe.yaml's folder`,
      'nothing was written',
    ],
    effect: async (_run, world) => {
      expect(existsSync(`/nonexistent-floe-${world.id}`)).toBe(false);
      await expectNothingWritten(world);
    },
  },
  {
    name: 'source_table: tbl where a folder tbl sits beside floe.yaml (the error suggests ./tbl)',
    setup: async (w) => void mkdirSync(join(w.dir, 'tbl'), { recursive: true }),
    spec: (w) => spec([restDestination(w, { source_table: 'tbl' })]),
    exit: 3,
    stderr: (w) => [
      `${w.spec}: destinations[0].source_table: cannot open table "tbl" (catalog identifier tbl): `,
      '(a folder "tbl" is next to floe.yaml: to read it as a table location, write source_table: ./tbl)',
    ],
    effect: 'nothing',
  },
  {
    name: 'a PostgreSQL db_schema that does not exist yet, create_table: true (created, rows written)',
    spec: (w) => spec([sqlDestination(w, {}, { table: `${freshSchema(w)}.target` })]),
    exit: 0,
    stderr: () => [],
    effect: async (_run, world) => {
      try {
        const [count] = await world.pg.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM "${freshSchema(world)}".target`,
        );
        expect(count?.n).toBe('8');
        expect(onlyReceipt(world).receipt).toMatchObject({ status: 'delivered', rowsDelivered: 8 });
      } finally {
        await world.pg.query(`DROP SCHEMA IF EXISTS "${freshSchema(world)}" CASCADE`);
      }
    },
  },
];

/** A real Spark table with spaces in its column names (`Breed Name`, …, `__happy__`): 15 rows. */
const BUNNIES = join(FIXTURES, 'icebird/java/bunnies');

/** Column names a SQL destination cannot take as they are (issue 14 #10): `naming`, collisions, plan. */
export const NAMING_CASES: readonly BadInputCase[] = [
  {
    name: 'source columns with spaces (floe egress plan shows the snake_case names sql_database will use)',
    spec: (w) => spec([sqlDestination(w, { source_table: BUNNIES, field_mapping: { 'Ear Type': 'EarType' } })]),
    command: ['egress', 'plan'],
    exit: 0,
    stderr: () => [],
    effect: async (run, world) => {
      expect(run.stdout).toContain('Breed Name → breed_name string');
      expect(run.stdout).toContain('Popularity Rank → popularity_rank');
      expect(run.stdout).toContain('Ear Type → EarType string'); // an explicit field_mapping is used as written
      await expectNothingWritten(world);
    },
  },
  {
    name: 'source columns with spaces (floe egress run writes them snake_case, as dlt does)',
    spec: (w) => spec([sqlDestination(w, { source_table: BUNNIES })]),
    exit: 0,
    stderr: () => [],
    effect: async (_run, world) => {
      const [schema, table] = world.table.split('.') as [string, string];
      const columns = await world.pg.query<{ column_name: string }>(
        'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
        [schema, table],
      );
      expect(columns.map((c) => c.column_name)).toContain('breed_name');
      expect(columns.map((c) => c.column_name)).not.toContain('Breed Name');
      expect(await tableRows(world)).toBe(15);
      expect(onlyReceipt(world).receipt).toMatchObject({ status: 'delivered', rowsDelivered: 15 });
    },
  },
  {
    name: 'naming: direct with source columns SQL cannot take (floe validate names the fix)',
    spec: (w) => spec([sqlDestination(w, { source_table: BUNNIES }, { naming: 'direct' })]),
    command: ['validate'],
    exit: 3,
    stderr: (w) => [
      `${w.spec}: destinations[0].source_table: column name "Breed Name" must match`,
      'rename it with field_mapping',
    ],
    effect: 'nothing',
  },
  {
    name: 'two columns named alike after snake_case (floe egress plan refuses, naming the fix)',
    spec: (w) => spec([sqlDestination(w, { source_table: BUNNIES, field_mapping: { 'Fur Length': 'breed_name' } })]),
    command: ['egress', 'plan'],
    exit: 3,
    stderr: (w) => [
      `${w.spec}: destinations[0].field_mapping: columns "Breed Name" and "Fur Length" would both be sent as "breed_name" (after the naming convention): rename one with field_mapping, e.g. field_mapping: { "Breed Name": breed_name_2 }`,
    ],
    effect: 'nothing',
  },
];
