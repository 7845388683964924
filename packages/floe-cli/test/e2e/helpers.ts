import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

/** The repository root. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The built CLI, driven as a user would. */
export const BIN = join(REPO, 'packages/floe-cli/dist/bin.js');
/** The shared Iceberg fixtures (`FLOE_FIXTURES_DIR` overrides). */
export const FIXTURES = process.env.FLOE_FIXTURES_DIR ?? resolve(REPO, '../shared/fixtures/iceberg');
/** The quickstart example. */
export const QUICKSTART = join(REPO, 'examples/quickstart');

/** What a CLI run produced. */
export interface FloeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON lines (lines that are not JSON are skipped). */
  readonly events: Record<string, unknown>[];
}

/** The environment a run starts from: the test's, minus anything floe or OTel reads. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('FLOE_SECRET') || key.startsWith('OTEL_') || key === 'NODE_OPTIONS')
      continue;
    env[key] = value;
  }
  return env;
}

/** Runs `node dist/bin.js …args` (stdout and stderr are pipes, not TTYs). */
export function floe(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<FloeRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...baseEnv(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, events: jsonLines(stdout) });
    });
  });
}

/** JSON lines of a text. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

/** A throwaway folder, removed by `cleanup()`. */
export function tempDir(prefix = 'floe-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An enterprise manifest approving `sinks`. */
export function manifestYaml(
  sinks: readonly string[] = ['sql_database', 'rest_api'],
  plugins: Record<string, unknown> = {},
): string {
  return stringify({
    apiVersion: 'floe.dev/v1',
    kind: 'Manifest',
    metadata: { name: 'test-platform', version: '1.0.0', owner: 'tests' },
    scope: 'enterprise',
    plugins,
    approved_sinks: [...sinks],
  });
}

/** A floe.yaml with these destinations (governed by `manifest.yaml` beside it). */
export function specYaml(
  destinations: readonly Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): string {
  return stringify({
    apiVersion: 'floe.dev/v1',
    kind: 'FloeSpec',
    metadata: { name: 'e2e', version: '1.0.0' },
    platform: { manifest: 'manifest.yaml' },
    transforms: [{ name: 'gold_model' }],
    destinations,
    ...extra,
  });
}

/** Writes floe.yaml and manifest.yaml into `dir`; returns floe.yaml's path. */
export function writeProject(
  dir: string,
  destinations: readonly Record<string, unknown>[],
  options: { sinks?: readonly string[]; spec?: string; plugins?: Record<string, unknown> } = {},
): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.yaml'), manifestYaml(options.sinks, options.plugins));
  const file = join(dir, 'floe.yaml');
  writeFileSync(file, options.spec ?? specYaml(destinations));
  return file;
}

/** Every receipt file (`*.json`) under `<stateDir>/runs`, parsed, keyed by `<run-id>/<destination>`. */
export function receipts(stateDir: string): Record<string, Record<string, unknown>> {
  const runs = join(stateDir, 'runs');
  const out: Record<string, Record<string, unknown>> = {};
  if (!existsSync(runs)) return out;
  for (const run of readdirSync(runs)) {
    for (const file of readdirSync(join(runs, run)).filter((name) => name.endsWith('.json'))) {
      out[`${run}/${file.replace(/\.json$/, '')}`] = JSON.parse(readFileSync(join(runs, run, file), 'utf8')) as Record<
        string,
        unknown
      >;
    }
  }
  return out;
}

/** Every row of an Iceberg table as the lakehouse reader returns it, as plain values (int64 as strings). */
export async function lakehouseRows(location: string): Promise<Record<string, unknown>[]> {
  const { openTable } = await import('@floe/lakehouse');
  const { batchToRows } = await import('@floe/ingestion-dlt');
  const table = await openTable({ location });
  const rows: Record<string, unknown>[] = [];
  for await (const batch of table.batches()) rows.push(...batchToRows(batch, { int64: 'string' }));
  return rows;
}

/** A row's values as text (`null` stays `null`), keys renamed by `mapping`: comparable with `SELECT col::text`. */
export function asText(
  row: Record<string, unknown>,
  mapping: Record<string, string> = {},
): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      mapping[key] ?? key,
      value === null || value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : String(value),
    ]),
  );
}

/** Rows in a stable order, for comparing sets of rows. */
export function sorted<T>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) =>
    JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0,
  );
}
