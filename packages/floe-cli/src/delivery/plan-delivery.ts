import type { Sink } from '@floe/core';
import type { DeliveryLedger, LedgerRun, LedgerRunInit } from '@floe/ingestion-dlt';
import { ExitCode } from '../exit-code.js';
import type { EngineDelivery } from '../egress/engine.js';
import type { PreparedDestination } from '../egress/prepare-destination.js';
import { effectiveStatus } from './run-status.js';

/** How a destination is delivered with a ledger: which ledger, which run, and what it resumes. */
export interface DeliveryPlan {
  /** The destination, its source pinned to the run's snapshot. */
  readonly prepared: PreparedDestination;
  /** Where batches are recorded: the destination's own ledger (mirrored to the state store), or the state store. */
  readonly ledger: DeliveryLedger;
  /** `destination` when the sink keeps the ledger in its batch transactions. */
  readonly ledgerKind: 'destination' | 'state-store';
  readonly init: LedgerRunInit;
  /** The unfinished run this attempt finishes, if any. */
  readonly resumes: LedgerRun | undefined;
  /**
   * Why the ledger could not be read (e.g. the destination database is unreachable): the delivery then fails
   * before sending anything, with a receipt — it never runs without knowing what an earlier attempt delivered.
   */
  readonly blocked?: unknown;
}

/** The outcome of {@link planDelivery}: a plan, or problems that stop the run before anything is sent. */
export type DeliveryPlanning =
  | { readonly ok: true; readonly plan: DeliveryPlan }
  | { readonly ok: false; readonly lines: readonly string[]; readonly exitCode: number };

/** What {@link planDelivery} needs. */
export interface PlanDeliveryOptions {
  readonly delivery: EngineDelivery;
  /** The state store (opened on first use). */
  readonly store: () => DeliveryLedger;
  /** This attempt's id (the CLI run id). */
  readonly attemptId: string;
  /** `--restart`: never resume, start a new run. */
  readonly restart: boolean;
  /** floe.yaml's name, for messages. */
  readonly specName: string;
  /** Re-opens the destination with its source pinned to a snapshot (or explains why it cannot). */
  readonly repin: (snapshotId: string) => Promise<PreparedDestination | readonly string[]>;
}

/**
 * Decides how a destination is delivered: a new run, or — when its newest run is unfinished and the same
 * run can be made again (same run key; the source is re-pinned to the run's snapshot when the table has
 * moved on) — that run, resumed. `replace` never resumes (its half-written table was never visible: it
 * simply starts over). An unfinished run that cannot be resumed (configuration changed, snapshot expired)
 * stops the run with exit 3 unless `--restart` is given.
 */
export async function planDelivery(
  prepared: PreparedDestination,
  sink: Sink,
  options: PlanDeliveryOptions,
): Promise<DeliveryPlanning> {
  const { planned } = prepared;
  const own = options.delivery.sinkLedger(sink);
  const ledger = own === undefined ? options.store() : options.delivery.mirrored(own, options.store());
  const ledgerKind = own === undefined ? 'state-store' : 'destination';
  const at = `${options.specName}: destinations[${planned.index}]`;
  const build = (target: PreparedDestination, resumes: LedgerRun | undefined): DeliveryPlan => {
    const snapshotId = target.source.snapshotId ?? null;
    const run = options.delivery.describeRun(sink, {
      sourceTable: planned.sourceTable,
      snapshotId,
      disposition: planned.disposition,
    });
    const init: LedgerRunInit = {
      // One run per destination: an egress run over several destinations starts several runs.
      runId: resumes?.runId ?? `${options.attemptId}/${planned.name}`,
      runKey: run.runKey,
      attemptId: options.attemptId,
      destination: planned.name,
      sinkType: planned.sinkType,
      target: target.target,
      sourceTable: planned.sourceTable,
      snapshotId,
      batchSize: run.batchSize,
      disposition: planned.disposition,
      totalRows: target.rows,
    };
    return { prepared: target, ledger, ledgerKind, init, resumes };
  };
  const fresh = build(prepared, undefined);
  let latest: LedgerRun | undefined;
  try {
    latest = await ledger.latestRun(planned.name);
  } catch (error) {
    return { ok: true, plan: { ...fresh, blocked: error } };
  }
  if (latest === undefined || latest.status === 'completed' || options.restart || planned.disposition === 'replace') {
    return { ok: true, plan: fresh };
  }
  if (latest.runKey === fresh.init.runKey) return { ok: true, plan: build(prepared, latest) };
  const unfinished =
    `${at}: the newest run of "${planned.name}", ${latest.runId} (${effectiveStatus(latest)}, ${latest.batchesCommitted}/${latest.batchesTotal} batches, ` +
    `${latest.rowsDelivered} rows delivered), is unfinished`;
  const restart = 'pass --restart to start a new run instead (what it delivered stays delivered)';
  if (latest.snapshotId !== null && latest.snapshotId !== (prepared.source.snapshotId ?? null)) {
    // The table moved on since: finish the run on the snapshot it started from.
    const repinned = await options.repin(latest.snapshotId);
    if (!('planned' in repinned)) {
      return {
        ok: false,
        exitCode: ExitCode.CONFIGURATION,
        lines: [
          `${unfinished} and its snapshot ${latest.snapshotId} cannot be read again: ${repinned.join('; ')}; ${restart}`,
        ],
      };
    }
    const again = build(repinned, latest);
    if (again.init.runKey === latest.runKey) return { ok: true, plan: again };
  }
  return {
    ok: false,
    exitCode: ExitCode.CONFIGURATION,
    lines: [
      `${unfinished} and was made with another configuration (target, batch_size, field_mapping or write disposition changed): ` +
        `finish it with the configuration it started with, or ${restart}`,
    ],
  };
}
