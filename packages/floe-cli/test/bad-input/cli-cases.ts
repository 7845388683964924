import { expect } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, type FloeRun } from '../e2e/helpers.js';
import { expectNothingWritten, restDestination, spec, type BadInputCase, type CaseWorld } from './corpus.js';

/** stdout holds nothing but JSON lines. */
function expectJsonOnly(run: FloeRun): void {
  const lines = run.stdout.split('\n').filter((line) => line !== '');
  for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
}

/** No folder named after a URL scheme, beside floe.yaml or in the working directory. */
function expectNoSchemeFolder(world: CaseWorld): void {
  expect(existsSync(join(world.dir, 'mongodb:'))).toBe(false);
  expect(existsSync(join(REPO, 'mongodb:'))).toBe(false);
}

const oneProblemLine = (run: FloeRun, pattern: RegExp) => {
  const lines = run.stderr.split('\n').filter((line) => line !== '' && line !== 'nothing was written');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /);
};

/** The command line's own options: the state store, the state folder, --destination. */
export const CLI_CASES: readonly BadInputCase[] = [
  {
    name: 'egress run --state-store mongodb://x: an unknown scheme, not a folder named "mongodb:"',
    spec: (w) => spec([restDestination(w)]),
    args: () => ['--state-store', 'mongodb://x', '--json'],
    exit: 3,
    stderr: () => ['--state-store: unknown scheme "mongodb:": expected sqlite:<file>'],
    effect: async (run, w) => {
      oneProblemLine(run, /^--state-store: unknown scheme/);
      expectJsonOnly(run);
      expectNoSchemeFolder(w);
      await expectNothingWritten(w);
    },
  },
  {
    name: 'egress runs --state-store mongodb://x',
    spec: (w) => spec([restDestination(w)]),
    command: ['egress', 'runs'],
    args: () => ['--state-store', 'mongodb://x'],
    exit: 3,
    stderr: () => ['floe: --state-store: unknown scheme "mongodb:"'],
    effect: async (run, w) => {
      expect(run.stdout).toBe('');
      expectNoSchemeFolder(w);
      await expectNothingWritten(w);
    },
  },
  {
    name: 'egress run --state-dir floe.yaml/x: a folder below a file',
    spec: (w) => spec([restDestination(w)]),
    args: (w) => ['--state-dir', join(w.spec, 'x'), '--json'],
    exit: 3,
    stderr: () => [/--state-dir .*floe\.yaml\/x: .*floe\.yaml is a file, not a folder/],
    effect: async (run, w) => {
      oneProblemLine(run, /^--state-dir /);
      expectJsonOnly(run);
      await expectNothingWritten(w);
    },
  },
  {
    name: 'egress runs --state-dir floe.yaml/x',
    spec: (w) => spec([restDestination(w)]),
    command: ['egress', 'runs'],
    args: (w) => ['--state-dir', join(w.spec, 'x')],
    exit: 3,
    stderr: () => [/^floe: --state-dir .*floe\.yaml is a file, not a folder\n$/],
    effect: 'nothing',
  },
  {
    name: 'egress run --state-store postgres://…@127.0.0.1:1 (unreachable): one line, exit 1, JSON only on stdout',
    spec: (w) => spec([restDestination(w)]),
    args: () => ['--state-store', 'postgres://floe:state-PW-unreachable@127.0.0.1:1/x', '--json'],
    exit: 1,
    stderr: () => [/^crm: .*ECONNREFUSED 127\.0\.0\.1:1\n$/],
    effect: async (run, w) => {
      expectJsonOnly(run);
      expect(run.stdout).not.toContain('Acquire connection');
      expect(run.stdout + run.stderr).not.toContain('state-PW-unreachable');
      expect(w.accepted).toEqual([]);
    },
  },
  {
    name: 'egress runs --state-store postgres://…@127.0.0.1:1 (unreachable): one line naming the option, exit 1',
    spec: (w) => spec([restDestination(w)]),
    command: ['egress', 'runs'],
    args: () => ['--state-store', 'postgres://floe:state-PW-unreachable@127.0.0.1:1/x'],
    exit: 1,
    stderr: () => [
      /^floe: --state-store postgres:\/\/floe@127\.0\.0\.1:1\/x: cannot read the runs: .*ECONNREFUSED.*\n$/,
    ],
    effect: async (run) => {
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain('state-PW-unreachable');
    },
  },
  {
    name: 'egress runs on a PostgreSQL state store without tables: lists nothing, creates nothing',
    spec: (w) => spec([restDestination(w)]),
    command: ['egress', 'runs'],
    args: (w) => ['--state-store', `${w.pg.url}?schema=${w.pg.schema}_${w.id}`, '--json'],
    exit: 0,
    stderr: () => [/^$/],
    effect: async (run, w) => {
      expect(JSON.parse(run.stdout)).toMatchObject({ runs: [] });
      const tables = await w.pg.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [
        `${w.pg.schema}_${w.id}`,
      ]);
      expect(tables).toEqual([]);
    },
  },
  {
    name: 'egress runs -d nope: an unknown destination, exit 3 as for egress run -d nope',
    spec: (w) => spec([restDestination(w)]),
    command: ['egress', 'runs'],
    args: () => ['-d', 'nope'],
    exit: 3,
    stderr: () => ['--destination: unknown destination "nope"', 'declares crm'],
    effect: 'nothing',
  },
  {
    name: "egress run -d 'nope*': a glob that matches no destination",
    spec: (w) => spec([restDestination(w)]),
    args: () => ['-d', 'crm,nope*'],
    exit: 3,
    stderr: () => ['--destination: unknown destination "nope*"', 'declares crm'],
    effect: 'nothing',
  },
];
