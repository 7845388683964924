import type { WriteIsolatingEvent, WriteProgress } from '@floe/core';
import type { DeliveryOutcome } from '../egress/deliver.js';
import { errorJson } from '../egress/describe-error.js';
import { rows } from '../egress/reject-tracking.js';
import type { DestinationPreview } from '@floe/core';
import type { PreparedDestination } from '../egress/prepare-destination.js';
import type { RunReporter } from './run-reporter.js';
import type { Terminal } from './terminal.js';
import type { Waiting } from './wait-watch.js';

/**
 * JSON lines on stdout, one event per line (`run.started`, `destination.started`, `progress`,
 * `receipt`, `skipped`, `problem`, `preview`, `run.finished`); a `progress` event with `waiting` says how long the
 * destination has not answered and which retry is pending, one with `isolating` how far the isolation of a
 * refused batch's rows got; problems also go to stderr as text,
 * and so does one line for each destination that failed, stopped or had rows rejected.
 * Progress events are throttled to one per `intervalMs` per destination.
 */
export class JsonRunReporter implements RunReporter {
  readonly #terminal: Terminal;
  readonly #now: () => number;
  readonly #intervalMs: number;
  readonly #lastProgress = new Map<string, number>();
  readonly #last = new Map<string, WriteProgress>();
  readonly #lastIsolating = new Map<string, number>();

  constructor(terminal: Terminal, options: { now?: () => number; intervalMs?: number } = {}) {
    this.#terminal = terminal;
    this.#now = options.now ?? Date.now;
    this.#intervalMs = options.intervalMs ?? 500;
  }

  #event(event: string, data: Record<string, unknown>): void {
    this.#terminal.json({ event, time: new Date(this.#now()).toISOString(), ...data });
  }

  started(info: Parameters<RunReporter['started']>[0]): void {
    this.#event('run.started', {
      runId: info.runId,
      product: info.product,
      spec: info.spec,
      destinations: info.destinations.map((d) => d.planned.name),
    });
  }

  destinationStarted(prepared: PreparedDestination): void {
    this.#terminal.debug(
      `${prepared.planned.name}: ${prepared.planned.sinkType} ${prepared.target}, batch size ${prepared.planned.batchSize ?? 'default'}`,
    );
    this.#event('destination.started', {
      destination: prepared.planned.name,
      sinkType: prepared.planned.sinkType,
      sourceTable: prepared.planned.sourceTable,
      snapshotId: prepared.source.snapshotId ?? null,
      rows: prepared.rows,
      target: prepared.target,
      disposition: prepared.planned.disposition,
    });
  }

  progress(prepared: PreparedDestination, progress: WriteProgress): void {
    const now = this.#now();
    const last = this.#lastProgress.get(prepared.planned.name) ?? -Infinity;
    this.#last.set(prepared.planned.name, progress);
    this.#terminal.debug(
      `${prepared.planned.name}: ${progress.batchesCompleted} batches acknowledged, ${progress.rowsDelivered} rows delivered, ${progress.rowsRejected} rejected`,
    );
    if (this.#terminal.settings.quiet === true) return;
    const done = progress.rowsDelivered + progress.rowsRejected >= prepared.rows;
    if (!done && now - last < this.#intervalMs) return;
    this.#lastProgress.set(prepared.planned.name, now);
    this.#event('progress', { destination: prepared.planned.name, total: prepared.rows, ...progress });
  }

  /** A `progress` event with `waiting`: seconds since the last answer and the last retry (not throttled). */
  waiting(prepared: PreparedDestination, waiting: Waiting): void {
    this.#event('progress', {
      destination: prepared.planned.name,
      total: prepared.rows,
      ...this.#last.get(prepared.planned.name),
      waiting: {
        sinceLastAnswerSeconds: Math.round(waiting.sinceLastAnswerMs / 100) / 10,
        retry: waiting.retry ?? null,
      },
    });
  }

  /**
   * A `progress` event with `isolating: {batch, rowsChecked, rowsTotal, rejectedSoFar}`: the start and the end of
   * each isolation always, reports in between at most every `intervalMs`; none with `-q`.
   */
  isolating(prepared: PreparedDestination, isolating: WriteIsolatingEvent): void {
    const name = prepared.planned.name;
    this.#terminal.debug(
      `${name}: isolating rejected rows of batch ${isolating.batchIndex}: ${isolating.rowsChecked}/${isolating.rowsTotal} checked, ${isolating.rejectedSoFar} rejected`,
    );
    if (this.#terminal.settings.quiet === true) return;
    const now = this.#now();
    const edge = isolating.rowsChecked === 0 || isolating.rowsChecked >= isolating.rowsTotal;
    if (!edge && now - (this.#lastIsolating.get(name) ?? -Infinity) < this.#intervalMs) return;
    this.#lastIsolating.set(name, now);
    this.#event('progress', {
      destination: name,
      total: prepared.rows,
      ...this.#last.get(name),
      isolating: {
        batch: isolating.batchIndex,
        rowsChecked: isolating.rowsChecked,
        rowsTotal: isolating.rowsTotal,
        rejectedSoFar: isolating.rejectedSoFar,
      },
    });
  }

  destinationFinished(prepared: PreparedDestination, outcome: DeliveryOutcome, receiptFile: string): void {
    this.#event('receipt', {
      destination: prepared.planned.name,
      status: outcome.status,
      exitCode: outcome.exitCode,
      file: receiptFile,
      receipt: outcome.receipt ? outcome.receipt.toJSON() : null,
      ...(outcome.rejected !== undefined && { rejected: outcome.rejected }),
      ...(outcome.stopped !== undefined && { stopped: outcome.stopped }),
      ...(outcome.error !== undefined && { error: errorJson(outcome.error) }),
      ...(outcome.delivery !== undefined && { delivery: outcome.delivery }),
      ...(outcome.sync !== undefined && { sync: outcome.sync }),
    });
    const name = prepared.planned.name;
    if (outcome.error !== undefined) this.#terminal.err(`${name}: ${errorJson(outcome.error).message as string}`);
    if (outcome.stopped !== undefined) this.#terminal.err(`${name}: ${outcome.stopped.reason}`);
    else if (outcome.error === undefined) {
      // stdout is for machines: say on stderr, in one line, why a destination did not deliver everything
      const failure = outcome.receipt?.errors.find((error) => error.row === undefined && error.key === undefined);
      if (outcome.status === 'failed' && failure !== undefined)
        this.#terminal.err(`${name}: failed (${failure.category}): ${failure.message}`);
      if (outcome.status === 'partial' && outcome.receipt !== undefined) {
        const file = outcome.rejected !== undefined ? ` (${outcome.rejected.file})` : '';
        const refused = outcome.sync?.refused ?? 0;
        this.#terminal.err(`${name}: partial: ${rows(outcome.receipt.rowsRejected + refused)} rejected${file}`);
      }
    }
    if (outcome.rejected?.error !== undefined)
      this.#terminal.err(
        `${prepared.planned.name}: could not write ${outcome.rejected.file}: ${outcome.rejected.error}`,
      );
  }

  skipped(destination: string, reason: string): void {
    this.#event('skipped', { destination, reason });
  }

  problems(lines: readonly string[]): void {
    for (const line of lines) {
      this.#event('problem', { message: line });
      this.#terminal.err(line);
    }
  }

  preview(prepared: PreparedDestination, preview: DestinationPreview, limit: number): void {
    this.#event('preview', { destination: prepared.planned.name, limit, ...preview });
  }

  finished(info: Parameters<RunReporter['finished']>[0]): void {
    this.#event('run.finished', {
      runId: info.runId,
      exitCode: info.exitCode,
      runDir: info.runDir ?? null,
      destinations: info.statuses,
    });
  }
}
