import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, jsonLines } from '../../e2e/helpers.js';

/** A running `floe` process, its JSON-lines events as they arrive. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly events: Record<string, unknown>[];
  stdout(): string;
  stderr(): string;
  /** Resolves when the process ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once the process has ended. */
  done(): boolean;
}

/** The environment of a run: the test's, minus anything floe or OTel reads, plus `env`. */
function runEnv(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('FLOE_') || key.startsWith('OTEL_') || key === 'NODE_OPTIONS') continue;
    out[key] = value;
  }
  return { ...out, ...env };
}

/** Starts `node packages/floe-cli/dist/bin.js …args` (the built CLI, as a user runs it). */
export function startCli(args: readonly string[], env: Record<string, string>, cwd: string): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: runEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let ended = false;
  const events: Record<string, unknown>[] = [];
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    out += text;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    events.push(...jsonLines(lines.join('\n')));
  });
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      ended = true;
      resolve({ code, signal });
    });
  });
  return { child, events, stdout: () => out, stderr: () => err, exited, done: () => ended };
}

/** Runs the CLI to its end (killed after `timeoutMs`). */
export async function runCli(
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
  timeoutMs = 60_000,
): Promise<CliProcess & { code: number | null }> {
  const cli = startCli(args, env, cwd);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), timeoutMs);
  const { code } = await cli.exited;
  clearTimeout(timer);
  return { ...cli, code };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once an event named `name` arrived, or the process ended (then `false`). */
export async function eventOrExit(cli: CliProcess, name: string): Promise<boolean> {
  for (;;) {
    if (cli.events.some((event) => event.event === name)) return true;
    if (cli.done()) return false;
    await sleep(5);
  }
}

/** Where one SIGKILL landed. */
export interface KillPoint {
  /** Batches committed when the kill was ordered (the target was reached). */
  readonly committedAtKill: number;
  readonly target: number;
  readonly jitterMs: number;
  /** True when the process was still running (no receipt yet) when SIGKILL arrived. */
  readonly midRun: boolean;
}

/** What {@link killAt} needs. */
export interface KillAtOptions {
  /** Batches the destination shows committed (polled). */
  readonly committed: () => Promise<number>;
  /** Kill once `committed() >= target`… */
  readonly target: number;
  /** …plus this many milliseconds. */
  readonly jitterMs: number;
}

/**
 * Waits until the run is delivering (`destination.started`) and the destination shows `target` batches
 * committed, waits `jitterMs` more, then SIGKILLs the CLI. The kill lands wherever the run then is:
 * reading, between the intended record and the request, mid-transaction, between the answer and the
 * committed record.
 */
export async function killAt(cli: CliProcess, options: KillAtOptions): Promise<KillPoint> {
  await eventOrExit(cli, 'destination.started');
  let committed = await options.committed();
  while (!cli.done() && committed < options.target) {
    await sleep(8);
    committed = await options.committed();
  }
  if (options.jitterMs > 0) await sleep(options.jitterMs);
  const midRun = !cli.done() && !cli.events.some((event) => event.event === 'receipt');
  cli.child.kill('SIGKILL');
  await cli.exited;
  return { committedAtKill: committed, target: options.target, jitterMs: options.jitterMs, midRun };
}

/** `count` kill targets in [0, last], ascending (repeats allowed: a kill before any new batch is a kill point too). */
export function killTargets(random: () => number, count: number, last: number): number[] {
  return Array.from({ length: count }, () => Math.floor(random() * (last + 1))).sort((a, b) => a - b);
}
