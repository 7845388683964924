import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { FIXTURES, floe, jsonLines, manifestYaml, tempDir, type FloeRun } from './helpers.js';

const WARNING =
  'warning: floe.yaml: platform.manifest: not set: no governance (approved_sinks, plugins) is enforced — set platform.manifest to a manifest.yaml (floe init writes one) or pass --manifest; --strict makes this an error';
const STRICT_ERROR =
  'floe.yaml: platform.manifest: not set, and --strict refuses a floe.yaml no manifest governs (approved_sinks, plugins)';

/** floe.yaml delivering a 10-row fixture into a SQLite file beside it; governed by manifest.yaml only if `governed`. */
function writeSpec(dir: string, governed: boolean): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.yaml'), manifestYaml());
  writeFileSync(
    join(dir, 'floe.yaml'),
    stringify({
      apiVersion: 'floe.dev/v1',
      kind: 'FloeSpec',
      metadata: { name: 'ungoverned', version: '1.0.0' },
      ...(governed && { platform: { manifest: 'manifest.yaml' } }),
      transforms: [{ name: 'gold_model' }],
      destinations: [
        {
          name: 'lite',
          sink_type: 'sql_database',
          connection_secret_ref: 'lite-db',
          source_table: join(FIXTURES, 'duckdb-iceberg/uuid'),
          config: { table: 'rows' },
        },
      ],
    }),
  );
}

const ENV = { FLOE_SECRET_LITE_DB_URL: 'sqlite:out.db' };

/** How often `text` holds `part`. */
function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** Every line of stdout is JSON (nothing else slipped in). */
function expectJsonOnly(run: FloeRun): void {
  const lines = run.stdout.split('\n').filter((line) => line !== '');
  expect(lines.length).toBeGreaterThan(0);
  expect(jsonLines(run.stdout)).toHaveLength(lines.length);
}

describe('a floe.yaml without platform.manifest: one governance warning per command, an error with --strict', () => {
  let root: { dir: string; cleanup: () => void };
  let ungoverned: string;
  let governed: string;
  let runId: string;

  beforeAll(async () => {
    root = tempDir('floe-governance-');
    ungoverned = join(root.dir, 'ungoverned');
    governed = join(root.dir, 'governed');
    writeSpec(ungoverned, false);
    writeSpec(governed, true);
    // one delivered run, for `egress runs show`
    const first = await floe(['egress', 'run', '--json', '--spec', join(ungoverned, 'floe.yaml')], {
      env: ENV,
      cwd: ungoverned,
    });
    expect(first.code).toBe(0);
    expect(count(first.stderr, WARNING)).toBe(1);
    expectJsonOnly(first);
    runId = first.events.find((event) => event.event === 'run.started')?.runId as string;
    expect(runId).toMatch(/^\d{8}T\d{6}Z-/);
  });
  afterAll(() => root.cleanup());

  const commands: readonly (readonly [string, () => string[], boolean])[] = [
    ['validate', () => ['validate'], false],
    ['egress plan', () => ['egress', 'plan'], false],
    ['egress plan --json', () => ['egress', 'plan', '--json'], true],
    ['destination test', () => ['destination', 'test'], false],
    ['egress run --json', () => ['egress', 'run', '--json'], true],
    ['egress run (human)', () => ['egress', 'run', '--format', 'human'], false],
    ['egress runs', () => ['egress', 'runs', '--format', 'human'], false],
    ['egress runs --json', () => ['egress', 'runs', '--json'], true],
    ['egress runs show', () => ['egress', 'runs', 'show', runId, '--json'], true],
    ['-q egress plan', () => ['-q', 'egress', 'plan'], false],
  ];

  it.each(commands)('%s: warns once on stderr, exit 0, stdout as without the warning', async (_name, args, json) => {
    const run = await floe([...args(), '--spec', 'floe.yaml'], { env: ENV, cwd: ungoverned });
    expect(run.stderr).toBe(`${WARNING}\n`); // the only line on stderr: once, and nothing else
    expect(run.stdout).not.toContain('platform.manifest');
    expect(run.code).toBe(0);
    if (json) expectJsonOnly(run);
  });

  it('validate --json lists it under warnings (stdout stays one JSON object)', async () => {
    const run = await floe(['validate', '--json', '--spec', 'floe.yaml'], { env: ENV, cwd: ungoverned });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { valid: boolean; warnings: { path: string; text: string }[] };
    expect(result.valid).toBe(true);
    expect(result.warnings.map((w) => [w.path, `warning: ${w.text}`])).toEqual([['platform.manifest', WARNING]]);
  });

  it.each(commands)('--strict %s: exit 3, the error names platform.manifest, no warning', async (_name, args) => {
    const run = await floe(['--strict', ...args(), '--spec', 'floe.yaml'], { env: ENV, cwd: ungoverned });
    expect(run.code).toBe(3);
    expect(count(run.stderr, STRICT_ERROR)).toBe(1);
    expect(run.stderr).not.toContain('warning:');
  });

  it('--strict egress run writes nothing: no receipt, no run, no SQLite file', async () => {
    const dir = join(root.dir, 'strict-run');
    writeSpec(dir, false);
    const run = await floe(['egress', 'run', '--strict', '--json', '--spec', 'floe.yaml'], { env: ENV, cwd: dir });
    expect(run.code).toBe(3);
    expectJsonOnly(run);
    expect(run.events.at(-1)).toMatchObject({ event: 'run.finished', exitCode: 3 });
    expect(existsSync(join(dir, '.floe'))).toBe(false);
    expect(existsSync(join(dir, 'out.db'))).toBe(false);
  });

  it('a governed floe.yaml, or --manifest: no warning, and --strict passes', async () => {
    for (const [cwd, extra] of [
      [governed, []],
      [ungoverned, ['--manifest', 'manifest.yaml']],
    ] as const) {
      for (const args of [['validate'], ['egress', 'plan'], ['egress', 'runs', '--json']]) {
        const run = await floe(['--strict', ...args, '--spec', 'floe.yaml', ...extra], { env: ENV, cwd });
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
      }
    }
  });
});
