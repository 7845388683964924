import { expect } from '@jest/globals';
import type { FloeRun } from '../e2e/helpers.js';
import {
  expectNothingWritten,
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
