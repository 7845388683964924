import { expect } from '@jest/globals';
import type { FloeRun } from '../e2e/helpers.js';
import {
  expectNoDelivery,
  expectNothingWritten,
  onlyReceipt,
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
