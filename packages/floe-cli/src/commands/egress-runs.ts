import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { openStateStore, parseStateStoreLocation } from '@floe/delivery';
import type { CliContext } from '../context.js';
import { stateLocationProblem } from '../delivery/state-location-problem.js';
import { stateStoreLocation } from '../delivery/state-store-location.js';
import { describeError } from '../egress/describe-error.js';
import { isGlob, matchesName, splitNames } from '../egress/name-patterns.js';
import { ExitCode } from '../exit-code.js';
import { formatTable } from '../output/format-table.js';
import { wantsJson } from '../output/output-settings.js';
import { Terminal } from '../output/terminal.js';
import { projectPaths, stateDir } from '../paths.js';
import { Redactor } from '../secrets/redactor.js';
import { printIssues } from '../output/print-issues.js';
import { displayPath } from '../project/display-path.js';
import { declaresManifest, noManifestIssue } from '../project/governance.js';
import { addProjectOptions, parseCount, type ProjectOptions } from './common-options.js';
import { declaredDestinations, declaredProduct, listedRun, type ListedRun } from './runs-listing.js';
import { printRunDetails } from './runs-show.js';

export type { ListedRun } from './runs-listing.js';

/** The statuses `--status` filters on (as listed: a dead `running` run is `interrupted`). */
export const RUN_STATUSES = ['running', 'interrupted', 'completed', 'failed'] as const;

interface RunsOptions extends ProjectOptions {
  readonly destination?: string[];
  readonly status?: (typeof RUN_STATUSES)[number];
  readonly json?: boolean;
  readonly stateDir?: string;
  readonly stateStore?: string;
  readonly limit?: number;
}

const integer = new Intl.NumberFormat('en-US');

type Loaded = { ok: true; runs: ListedRun[]; location: string } | { ok: false; exitCode: number };

/** Reads the runs (read-only: nothing is created) that the options select, or reports why it cannot. */
async function loadRuns(options: RunsOptions, context: CliContext, terminal: Terminal, limit: number): Promise<Loaded> {
  const paths = projectPaths(options.spec, context.cwd);
  // As every command reading floe.yaml: one warning when no manifest governs it (an error with --strict).
  if (options.manifest === undefined && declaresManifest(paths.specFile) === false) {
    const strict = context.governance?.strict === true;
    const issue = noManifestIssue(displayPath(paths.specFile, context.cwd), strict);
    printIssues(terminal, strict ? [issue] : [], strict ? [] : [issue]);
    if (strict) return { ok: false, exitCode: ExitCode.CONFIGURATION };
  }
  const folder = stateDir(paths, context.cwd, options.stateDir);
  const location = stateStoreLocation(options.stateStore, context.env, folder, terminal.redactor);
  const problem = stateLocationProblem({
    stateDirOption: options.stateDir,
    stateDir: folder,
    stateStoreOption: options.stateStore,
    location,
    cwd: context.cwd,
  });
  if (problem !== undefined) {
    terminal.err(`floe: ${problem}`);
    return { ok: false, exitCode: ExitCode.CONFIGURATION };
  }
  const parsed = parseStateStoreLocation(location, context.cwd);
  const patterns = splitNames(options.destination);
  let found: ListedRun[] = [];
  // A SQLite state store that does not exist yet has no runs: do not create it just to list nothing.
  if (parsed.kind !== 'sqlite' || existsSync(resolve(context.cwd, parsed.file))) {
    const store = openStateStore(location, { baseDir: context.cwd, readOnly: true });
    try {
      const single = patterns.length === 1 && !isGlob(patterns[0] ?? '') ? patterns[0] : undefined;
      const filtered = patterns.length > 0 || options.status !== undefined;
      // Only the runs of the spec's product (and runs recorded before runs had one): specs in one folder share it.
      const product = declaredProduct(paths.specFile);
      const runs = await store.listRuns({
        ...(single !== undefined && { destination: single }),
        ...(product !== undefined && { product }),
        limit: filtered && single === undefined ? Math.max(limit, 10_000) : limit,
      });
      found = runs.map((run) => listedRun(run, folder));
    } catch (error) {
      const source = options.stateStore !== undefined ? '--state-store' : 'state store';
      terminal.err(`floe: ${source} ${parsed.display}: cannot read the runs: ${describeError(error)}`);
      return { ok: false, exitCode: ExitCode.FAILED };
    } finally {
      await store.close().catch(() => undefined);
    }
  }
  if (patterns.length > 0) {
    // A name that is neither declared in floe.yaml nor recorded is a typo, as it is for `egress run -d`.
    const declared = declaredDestinations(paths.specFile);
    const known = new Set([...(declared ?? []), ...found.map((run) => run.destination)]);
    const unknown = patterns.filter((pattern) => ![...known].some((name) => matchesName(name, pattern)));
    if (declared !== undefined && unknown.length > 0) {
      terminal.err(
        `floe: --destination: unknown destination${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `"${n}"`).join(', ')} (${paths.specFile} declares ${declared.length > 0 ? declared.join(', ') : 'none'})`,
      );
      return { ok: false, exitCode: ExitCode.CONFIGURATION };
    }
    found = found.filter((run) => patterns.some((pattern) => matchesName(run.destination, pattern)));
  }
  if (options.status !== undefined) found = found.filter((run) => run.status === options.status);
  return { ok: true, runs: found.slice(0, limit), location: parsed.display };
}

/**
 * `floe egress runs`: the delivery runs recorded in the state store, newest first — status (a `running`
 * run whose process is gone shows as `interrupted`), batches committed of total, rows delivered over all
 * attempts, attempts, start, end and the last attempt's error — of the spec's product (floe.yaml
 * `metadata.name`) only. Reads only: nothing is created, and a state store that does not exist yet (or has no
 * tables) lists nothing.
 */
export async function runsCommand(options: RunsOptions, context: CliContext): Promise<number> {
  const terminal = new Terminal(context.stdout, context.stderr, new Redactor(), context.output, context.env);
  const loaded = await loadRuns(options, context, terminal, options.limit ?? 50);
  if (!loaded.ok) return loaded.exitCode;
  const { runs, location } = loaded;
  if (wantsJson(options.json, context.output, context.stdout, true)) {
    terminal.json({ stateStore: location, runs });
    return ExitCode.OK;
  }
  if (runs.length === 0) {
    const which = [
      options.destination ? ` for ${splitNames(options.destination).join(', ')}` : '',
      options.status ? ` with status ${options.status}` : '',
    ].join('');
    terminal.out(`No delivery runs recorded in ${location}${which}.`);
    return ExitCode.OK;
  }
  // The changes column only when a sync run is listed.
  const synced = runs.some((run) => run.changes !== undefined);
  const rows = runs.map((run) => ({
    'run id': run.runId,
    destination: run.destination,
    snapshot: run.snapshotId ?? '-',
    status: run.status,
    batches: `${run.batchesCommitted}/${run.batchesTotal}`,
    rows: `${integer.format(run.rowsDelivered)}/${integer.format(run.totalRows)}`,
    ...(synced && {
      changes:
        run.changes === undefined
          ? '-'
          : `+${integer.format(run.changes.inserts)} ~${integer.format(run.changes.updates)} -${integer.format(run.changes.deletes)} =${integer.format(run.changes.unchanged)}`,
    }),
    attempts: run.attempts,
    started: shortTime(run.startedAt),
    finished: run.finishedAt === null ? '-' : shortTime(run.finishedAt),
    error: run.error === null ? '' : run.error.length > 80 ? `${run.error.slice(0, 79)}…` : run.error,
  }));
  // Every column, however narrow the terminal, and whole run ids: they are what `runs show` takes.
  for (const line of formatTable(rows, undefined, Infinity, { uncut: ['run id', 'error'] })) terminal.out(line);
  terminal.out(
    `(${runs.length} run${runs.length === 1 ? '' : 's'} in ${location}; details: floe egress runs show <run id>)`,
  );
  if (synced) terminal.out('(changes of a sync run: +inserts ~updates -deletes =unchanged)');
  return ExitCode.OK;
}

/** `floe egress runs show <run-id>`: one run (or every destination of one `egress run`), in detail. */
export async function runsShowCommand(runId: string, options: RunsOptions, context: CliContext): Promise<number> {
  const terminal = new Terminal(context.stdout, context.stderr, new Redactor(), context.output, context.env);
  const loaded = await loadRuns({ ...options, status: undefined }, context, terminal, 10_000);
  if (!loaded.ok) return loaded.exitCode;
  const runs = loaded.runs.filter(
    (run) => run.runId === runId || run.lastAttemptId === runId || run.runId.startsWith(`${runId}/`),
  );
  if (runs.length === 0) {
    terminal.err(`floe: no run ${runId} in ${loaded.location} (list them with: floe egress runs)`);
    return ExitCode.CONFIGURATION;
  }
  if (wantsJson(options.json, context.output, context.stdout, true)) {
    terminal.json({ stateStore: loaded.location, runs });
    return ExitCode.OK;
  }
  printRunDetails(terminal, runs, context.cwd);
  return ExitCode.OK;
}

/** `2025-01-02T03:04:05.678Z` → `2025-01-02 03:04:05` (UTC). */
export function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

function addRunsOptions(command: Command): Command {
  return addProjectOptions(command)
    .addOption(
      new Option(
        '-d, --destination <name...>',
        'only these destinations (several names, commas, globs such as mart_*)',
      ),
    )
    .option('--json', 'print one JSON object { stateStore, runs: [...] } (the default when stdout is not a terminal)')
    .option('--state-dir <dir>', 'the state folder (default: .floe beside floe.yaml)')
    .option(
      '--state-store <url>',
      'sqlite:<file> or postgres://… (default: $FLOE_STATE_STORE, else <state-dir>/state.db)',
    );
}

/** Registers `egress runs` and `egress runs show`. */
export function registerRuns(egress: Command, context: CliContext, done: (code: number) => void): void {
  const runs = addRunsOptions(egress.command('runs'))
    .description('list delivery runs (status, batches, rows delivered, error) from the state store')
    .addOption(new Option('--status <status>', 'only runs with this status').choices(RUN_STATUSES))
    .option('-n, --limit <n>', 'newest runs to show', parseCount, 50)
    .addHelpText(
      'after',
      `
A run is one delivery of a destination's source snapshot, possibly over several attempts (a killed or
failed attempt is resumed by the next floe egress run). Status: running, interrupted (its process is
gone), completed, failed. Rows are delivered over all attempts / rows in the snapshot. Only the runs
of the spec's product (floe.yaml metadata.name) are listed: specs in one folder share .floe/state.db.
Reads only: nothing is created in the state store.

Examples:
  $ floe egress runs
  $ floe egress runs --destination crm --json
  $ floe egress runs --status failed -d 'mart_*'
  $ floe egress runs show 20261123T004938Z-56997d
  $ FLOE_STATE_STORE=postgres://floe@ops-db:5432/floe floe egress runs`,
    )
    .action(async (options: RunsOptions) => done(await runsCommand(options, context)));
  addRunsOptions(runs.command('show'))
    .argument(
      '<run-id>',
      'a run id as listed (<run>/<destination>), or the run id of one egress run (all its destinations)',
    )
    .description('one run in detail: per destination counts, attempts, errors and where the rejected rows are')
    .action(async (runId: string, options: RunsOptions) => done(await runsShowCommand(runId, options, context)));
}
