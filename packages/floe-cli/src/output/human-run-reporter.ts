import { describeChanges } from '../sync/describe-sync.js';
import type { WriteIsolatingEvent, WriteProgress } from '@floe/core';
import type { DeliverySummary } from '@floe/delivery';
import type { DeliveryOutcome } from '../egress/deliver.js';
import { describeError } from '../egress/describe-error.js';
import type { DestinationPreview } from '@floe/core';
import type { PreparedDestination } from '../egress/prepare-destination.js';
import { displayPath } from '../project/display-path.js';
import { formatTable } from './format-table.js';
import { formatDuration, ProgressLine } from './progress-line.js';
import type { RunReporter } from './run-reporter.js';
import type { Terminal } from './terminal.js';
import type { Waiting } from './wait-watch.js';

const integer = new Intl.NumberFormat('en-US');

/** `isolating rejected rows of batch 3: 4,000/10,000 checked, 2,900 rejected` (batch: 0-based, as in receipts). */
export function describeIsolating(isolating: WriteIsolatingEvent): string {
  const { batchIndex, rowsChecked, rowsTotal, rejectedSoFar } = isolating;
  return `isolating rejected rows of batch ${batchIndex}: ${integer.format(rowsChecked)}/${integer.format(rowsTotal)} checked, ${integer.format(rejectedSoFar)} rejected`;
}

/** `waiting 12s for an answer (retry 2 in 5s: HTTP 503 Service Unavailable)`. */
export function describeWaiting(waiting: Waiting): string {
  const since = `waiting ${formatDuration(waiting.sinceLastAnswerMs / 1000)} for an answer`;
  const { retry } = waiting;
  if (retry === undefined) return since;
  const reason = retry.reason.length > 80 ? `${retry.reason.slice(0, 79)}…` : retry.reason;
  return `${since} (retry ${retry.attempt + 1} in ${formatDuration(retry.delayMs / 1000, true)}: ${reason})`;
}

/** Bytes as `1.2 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** `run 2025…-1a2b3c (attempt 2, resumed at batch 7): 51,793/51,793 rows delivered (14,000 earlier), 26/26 batches, completed`. */
export function describeRun(run: DeliverySummary): string {
  const resumed = run.resumedFromBatch === null ? '' : `, resumed at batch ${run.resumedFromBatch}`;
  const earlier = run.rowsDeliveredEarlier > 0 ? ` (${integer.format(run.rowsDeliveredEarlier)} earlier)` : '';
  return (
    `run ${run.runId} (attempt ${run.attempt}${resumed}): ${integer.format(run.rowsDelivered)}/${integer.format(run.sourceRows)} rows delivered${earlier}, ` +
    `${run.batchesCommitted}/${run.batchesTotal} batches, ${run.status}` +
    (run.batchesResentWithoutGuarantee > 0
      ? `; ${run.batchesResentWithoutGuarantee} batch${run.batchesResentWithoutGuarantee === 1 ? '' : 'es'} re-sent ` +
        'without an idempotency guarantee (at least once: check the destination for duplicates)'
      : '')
  );
}

const MARK: Readonly<Record<string, string>> = { delivered: '✔', partial: '▲', failed: '✘', interrupted: '■' };
const COLOR: Readonly<Record<string, 'green' | 'yellow' | 'red' | 'dim'>> = {
  delivered: 'green',
  partial: 'yellow',
  failed: 'red',
  interrupted: 'dim',
};

/** Readable output for a terminal: a header, a progress bar per destination (stderr), receipts, previews. */
export class HumanRunReporter implements RunReporter {
  readonly #terminal: Terminal;
  readonly #progressBars: boolean;
  readonly #cwd: string;
  readonly #quiet: boolean;
  #bar: ProgressLine | undefined;

  constructor(terminal: Terminal, cwd: string) {
    this.#terminal = terminal;
    this.#cwd = cwd;
    this.#quiet = terminal.settings.quiet === true;
    this.#progressBars = terminal.stderr.isTTY === true && !this.#quiet;
  }

  started(info: Parameters<RunReporter['started']>[0]): void {
    if (this.#quiet) return;
    this.#terminal.out(`floe egress run · ${info.product.name} ${info.product.version} · run ${info.runId}`);
  }

  destinationStarted(prepared: PreparedDestination): void {
    const { planned, source } = prepared;
    const snapshot = source.snapshotId === undefined ? 'no snapshot' : `snapshot ${source.snapshotId}`;
    this.#terminal.debug(
      `${planned.name}: ${planned.sinkType} ${prepared.target}, batch size ${planned.batchSize ?? 'default'}`,
    );
    if (this.#quiet) return;
    this.#terminal.out('');
    this.#terminal.out(
      `→ ${planned.name}: ${planned.sourceTable} (${snapshot}, ${integer.format(prepared.rows)} rows)`,
    );
    this.#terminal.out(`  to ${planned.sinkType} ${prepared.target} (${planned.disposition})`);
    if (this.#progressBars) this.#bar = new ProgressLine(this.#terminal, `  ${planned.name}`, prepared.rows);
  }

  progress(prepared: PreparedDestination, progress: WriteProgress): void {
    this.#terminal.debug(
      `${prepared.planned.name}: ${progress.batchesCompleted} batches acknowledged, ${progress.rowsDelivered} rows delivered, ${progress.rowsRejected} rejected`,
    );
    this.#bar?.note(undefined);
    this.#bar?.update(progress.rowsDelivered + progress.rowsRejected);
  }

  waiting(prepared: PreparedDestination, waiting: Waiting): void {
    const text = describeWaiting(waiting);
    if (this.#bar !== undefined) this.#bar.note(text);
    else this.#terminal.err(`  ${prepared.planned.name}: ${text}`);
  }

  /** On the progress line; without one (stderr not a terminal), a line when an isolation starts and ends. */
  isolating(prepared: PreparedDestination, isolating: WriteIsolatingEvent): void {
    const text = describeIsolating(isolating);
    this.#terminal.debug(`${prepared.planned.name}: ${text}`);
    if (this.#bar !== undefined) this.#bar.note(text);
    else if (!this.#quiet && (isolating.rowsChecked === 0 || isolating.rowsChecked >= isolating.rowsTotal))
      this.#terminal.err(`  ${prepared.planned.name}: ${text}`);
  }

  destinationFinished(prepared: PreparedDestination, outcome: DeliveryOutcome, receiptFile: string): void {
    this.#bar?.finish();
    this.#bar = undefined;
    const { receipt } = outcome;
    const mark = this.#terminal.colors[COLOR[outcome.status] ?? 'dim'](MARK[outcome.status] ?? '?');
    if (receipt) {
      this.#terminal.out(
        `${mark} ${prepared.planned.name}: ${outcome.status} — ${integer.format(receipt.rowsDelivered)} rows delivered, ` +
          `${integer.format(receipt.rowsRejected)} rejected in ${formatDuration(receipt.durationSeconds, true)} (${formatBytes(receipt.bytesTransmitted)})`,
      );
      if (!this.#quiet) {
        this.#terminal.out(`  checksum ${receipt.checksum || '— (nothing was sent)'}`);
        this.#terminal.out(`  idempotency key ${receipt.idempotencyKey}`);
      }
      for (const error of receipt.errors.slice(0, 5)) {
        const where =
          error.row !== undefined
            ? `row ${error.row}`
            : error.key !== undefined
              ? `key ${error.key}`
              : error.batch !== undefined
                ? `batch ${error.batch}`
                : 'load';
        this.#terminal.err(`  ${where}: ${error.category}: ${error.message}`);
      }
      if (receipt.errors.length > 5)
        this.#terminal.err(`  … and ${receipt.errors.length - 5} more errors (see the receipt)`);
    } else {
      this.#terminal.out(`${mark} ${prepared.planned.name}: ${outcome.status}`);
    }
    if (outcome.error !== undefined) this.#terminal.err(`  ${describeError(outcome.error)}`);
    if (outcome.stopped !== undefined) this.#terminal.err(`  ${outcome.stopped.reason}`);
    if (outcome.sync !== undefined && !this.#quiet)
      this.#terminal.out(`  changes: ${describeChanges(outcome.sync.mode, outcome.sync)}`);
    if (outcome.sync !== undefined && outcome.sync.refused > 0)
      this.#terminal.err(
        `  ${integer.format(outcome.sync.refused)} source rows refused before sending (null or duplicate primary key): see the rejected rows`,
      );
    if (outcome.delivery !== undefined && !this.#quiet) this.#terminal.out(`  ${describeRun(outcome.delivery)}`);
    if (!this.#quiet) this.#terminal.out(`  receipt ${displayPath(receiptFile, this.#cwd)}`);
    const { rejected } = outcome;
    if (rejected !== undefined && rejected.error === undefined)
      this.#terminal.out(`  rejected rows ${displayPath(rejected.file, this.#cwd)} (${integer.format(rejected.rows)})`);
    if (rejected?.error !== undefined)
      this.#terminal.err(`  could not write ${displayPath(rejected.file, this.#cwd)}: ${rejected.error}`);
  }

  skipped(destination: string, reason: string): void {
    this.#terminal.out(`- ${destination}: skipped (${reason})`);
  }

  problems(lines: readonly string[]): void {
    for (const line of lines) this.#terminal.err(line);
  }

  preview(prepared: PreparedDestination, preview: DestinationPreview, limit: number): void {
    this.#terminal.out('');
    if (!preview.ok) {
      this.#terminal.out(`Preview of ${prepared.planned.name}: ${preview.reason}`);
      return;
    }
    this.#terminal.out(
      `Preview of ${prepared.planned.name} — first ${Math.min(limit, preview.rows.length)} rows of ${prepared.target}:`,
    );
    for (const line of formatTable(preview.rows, preview.columns, this.#terminal.width - 2))
      this.#terminal.out(`  ${line}`);
  }

  finished(info: Parameters<RunReporter['finished']>[0]): void {
    const statuses = Object.entries(info.statuses);
    const counts = new Map<string, number>();
    for (const [, status] of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
    const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
    if (!this.#quiet) this.#terminal.out('');
    this.#terminal.out(
      `Run ${info.runId}: ${summary || 'nothing ran'} (exit ${info.exitCode})${info.runDir ? ` · receipts in ${displayPath(info.runDir, this.#cwd)}` : ''}`,
    );
  }
}
