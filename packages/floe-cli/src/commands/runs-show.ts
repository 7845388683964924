import { displayPath } from '../project/display-path.js';
import type { Terminal } from '../output/terminal.js';
import { readReceipt, type ListedRun } from './runs-listing.js';

const integer = new Intl.NumberFormat('en-US');

/** Prints each run: status, counts, attempts, times, receipt, rejected-rows file and the receipt's errors. */
export function printRunDetails(terminal: Terminal, runs: readonly ListedRun[], cwd: string): void {
  for (const run of runs) {
    terminal.out(
      `${run.runId}: ${run.status}${run.recordedStatus !== run.status ? ` (recorded ${run.recordedStatus})` : ''}`,
    );
    terminal.out(`  destination   ${run.destination} (${run.sinkType}) → ${run.target}`);
    terminal.out(
      `  source        ${run.sourceTable} at snapshot ${run.snapshotId ?? '-'}, ${integer.format(run.totalRows)} rows`,
    );
    terminal.out(`  batches       ${run.batchesCommitted}/${run.batchesTotal} committed`);
    terminal.out(
      `  rows          ${integer.format(run.rowsDelivered)} delivered, ${integer.format(run.rowsRejected)} rejected`,
    );
    if (run.changes !== undefined)
      terminal.out(
        `  changes       ${integer.format(run.changes.inserts)} inserts, ${integer.format(run.changes.updates)} updates, ` +
          `${integer.format(run.changes.deletes)} deletes, ${integer.format(run.changes.unchanged)} unchanged ` +
          `(${run.changes.path}: ${run.changes.reason})`,
      );
    terminal.out(`  attempts      ${run.attempts} (last ${run.lastAttemptId}, on ${run.host} pid ${run.pid})`);
    terminal.out(`  started       ${run.startedAt}${run.finishedAt === null ? '' : `, finished ${run.finishedAt}`}`);
    terminal.out(`  receipt       ${run.receipt === null ? '-' : displayPath(run.receipt, cwd)}`);
    terminal.out(`  rejected rows ${run.rejectedFile === null ? '-' : displayPath(run.rejectedFile, cwd)}`);
    if (run.error !== null) terminal.out(`  error         ${run.error}`);
    const errors = readReceipt(run.receipt)?.receipt?.errors ?? [];
    for (const error of errors.slice(0, 10)) {
      const where =
        error.row !== undefined
          ? `row ${String(error.row)}`
          : error.batch !== undefined
            ? `batch ${error.batch}`
            : 'load';
      terminal.out(`    ${where}: ${error.category ?? 'error'}: ${error.message}`);
    }
    if (errors.length > 10) terminal.out(`    … and ${errors.length - 10} more (see the receipt)`);
  }
}
