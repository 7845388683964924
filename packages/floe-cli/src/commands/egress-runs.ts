import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { LedgerRun } from '@floe/core';
import { effectiveStatus, openStateStore, parseStateStoreLocation } from '@floe/delivery';
import type { CliContext } from '../context.js';
import { stateStoreLocation } from '../delivery/state-store-location.js';
import { ExitCode } from '../exit-code.js';
import { formatTable } from '../output/format-table.js';
import { reportUnexpected } from '../output/report-unexpected.js';
import { Terminal } from '../output/terminal.js';
import { projectPaths, stateDir } from '../paths.js';
import { Redactor } from '../secrets/redactor.js';
import { addProjectOptions, parseCount, type ProjectOptions } from './common-options.js';

interface RunsOptions extends ProjectOptions {
  readonly destination?: string;
  readonly json?: boolean;
  readonly stateDir?: string;
  readonly stateStore?: string;
  readonly limit?: number;
}

/** One listed run: the ledger's record, its status as seen now, and its last attempt's receipt (when saved here). */
export interface ListedRun extends Omit<LedgerRun, 'status'> {
  readonly status: LedgerRun['status'];
  /** The status recorded in the ledger (`running` for a killed attempt). */
  readonly recordedStatus: LedgerRun['status'];
  /** The last attempt's receipt file, when it is in this state folder. */
  readonly receipt: string | null;
}

const integer = new Intl.NumberFormat('en-US');

/**
 * `floe egress runs`: the delivery runs recorded in the state store, newest first — status (a `running`
 * run whose process is gone shows as `interrupted`), batches committed of total, rows delivered over all
 * attempts, attempts, start and end. Reads only; a state store that does not exist yet lists nothing.
 */
export async function runsCommand(options: RunsOptions, context: CliContext): Promise<number> {
  const redactor = new Redactor();
  const terminal = new Terminal(context.stdout, context.stderr, redactor);
  const paths = projectPaths(options.spec, context.cwd);
  const folder = stateDir(paths, context.cwd, options.stateDir);
  const location = stateStoreLocation(options.stateStore, context.env, folder, redactor);
  let file: string | undefined;
  try {
    const parsed = parseStateStoreLocation(location, context.cwd);
    file = parsed.kind === 'sqlite' ? parsed.file : undefined;
  } catch (error) {
    return reportUnexpected(terminal, error, context.env);
  }
  let runs: ListedRun[] = [];
  // A SQLite state store that does not exist yet has no runs: do not create it just to list nothing.
  if (file === undefined || existsSync(resolve(context.cwd, file))) {
    let store: ReturnType<typeof openStateStore> | undefined;
    try {
      store = openStateStore(location, { baseDir: context.cwd });
      const found = await store.listRuns({
        ...(options.destination !== undefined && { destination: options.destination }),
        limit: options.limit ?? 50,
      });
      runs = found.map((run) => listed(run, folder));
    } catch (error) {
      return reportUnexpected(terminal, error, context.env);
    } finally {
      await store?.close();
    }
  }
  if (options.json === true || context.stdout.isTTY !== true) {
    terminal.json({ stateStore: location, runs });
    return ExitCode.OK;
  }
  if (runs.length === 0) {
    terminal.out(
      `No delivery runs recorded in ${location}${options.destination ? ` for ${options.destination}` : ''}.`,
    );
    return ExitCode.OK;
  }
  const rows = runs.map((run) => ({
    'run id': run.runId,
    destination: run.destination,
    snapshot: run.snapshotId ?? '-',
    status: run.status,
    batches: `${run.batchesCommitted}/${run.batchesTotal}`,
    rows: `${integer.format(run.rowsDelivered)}/${integer.format(run.totalRows)}`,
    attempts: run.attempts,
    started: shortTime(run.startedAt),
    finished: run.finishedAt === null ? '-' : shortTime(run.finishedAt),
  }));
  // Every column, however narrow the terminal: a hidden status would hide the point of the listing.
  for (const line of formatTable(rows)) terminal.out(line);
  terminal.out(`(${runs.length} run${runs.length === 1 ? '' : 's'} in ${location})`);
  return ExitCode.OK;
}

/** `2025-01-02T03:04:05.678Z` → `2025-01-02 03:04:05` (UTC). */
function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

function listed(run: LedgerRun, folder: string): ListedRun {
  const receipt = join(folder, 'runs', run.lastAttemptId, `${run.destination}.json`);
  return {
    ...run,
    status: effectiveStatus(run),
    recordedStatus: run.status,
    receipt: existsSync(receipt) ? receipt : null,
  };
}

/** Registers `egress runs`. */
export function registerRuns(egress: Command, context: CliContext, done: (code: number) => void): void {
  addProjectOptions(egress.command('runs'))
    .description('list delivery runs (status, batches, rows delivered) from the state store')
    .option('-d, --destination <name>', 'only this destination')
    .option('--json', 'print one JSON object { stateStore, runs: [...] } (the default when stdout is not a terminal)')
    .option('--state-dir <dir>', 'the state folder (default: .floe beside floe.yaml)')
    .option(
      '--state-store <url>',
      'sqlite:<file> or postgres://… (default: $FLOE_STATE_STORE, else <state-dir>/state.db)',
    )
    .option('-n, --limit <n>', 'newest runs to show', parseCount, 50)
    .addHelpText(
      'after',
      `
A run is one delivery of a destination's source snapshot, possibly over several attempts (a killed or
failed attempt is resumed by the next floe egress run). Status: running, interrupted (its process is
gone), completed, failed. Rows are delivered over all attempts / rows in the snapshot.

Examples:
  $ floe egress runs
  $ floe egress runs --destination crm --json
  $ FLOE_STATE_STORE=postgres://floe@ops-db:5432/floe floe egress runs`,
    )
    .action(async (options: RunsOptions) => done(await runsCommand(options, context)));
}
