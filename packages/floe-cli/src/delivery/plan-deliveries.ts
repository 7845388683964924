import { isSyncStateLedger, isVerifyingLedger, type Sink } from '@floe/core';
import { planRun, type RunInput, type RunLeaseOptions, type RunPlan, type StateStoreHandle } from '@floe/delivery';
import type { EgressEngine } from '../egress/engine.js';
import { prepareDestination, type PrepareOptions, type PreparedDestination } from '../egress/prepare-destination.js';
import { isLakehouseError } from '@floe/lakehouse';
import { describeError, errorCategory } from '../egress/describe-error.js';
import { ExitCode, exitCodeForCategory, worstExitCode } from '../exit-code.js';
import { destinationSyncKind, prepareSync } from '../sync/prepare-sync.js';
import type { PreparedSync } from '../sync/prepared-sync.js';

/** A destination's run input, with the prepared destination it was made from. */
export interface DestinationRunInput extends RunInput {
  readonly prepared: PreparedDestination;
}

/** What {@link planDeliveries} needs. */
export interface PlanDeliveriesOptions {
  readonly engine: EgressEngine;
  readonly store: StateStoreHandle;
  readonly attemptId: string;
  readonly restart: boolean;
  /** How each destination's run lease is taken (`--wait-lock`, the takeover timeout). */
  readonly lease?: RunLeaseOptions;
  /** To re-open a destination's source at an unfinished run's snapshot. */
  readonly prepare: PrepareOptions;
  /** `--full-resync`: every row is sent again and the sync state rebuilt. */
  readonly fullResync?: boolean;
  /** `--allow-mass-delete`: a mirror may delete more than `sync.max_delete_fraction` of its records. */
  readonly allowMassDelete?: boolean;
  /** `--full-scan`: diff every row, not only the Iceberg files that changed. */
  readonly fullScan?: boolean;
}

/** Plans for every destination, or the problems that stop the run before anything is sent. */
export type DeliveriesPlanning =
  | {
      readonly ok: true;
      readonly prepared: PreparedDestination[];
      /** By destination; absent for a sink whose connector is not resumable (at-least-once). */
      readonly plans: ReadonlyMap<string, RunPlan<DestinationRunInput>>;
      /** By destination: the sync runs prepared (diffed, counted) before anything is sent. */
      readonly syncs: ReadonlyMap<string, PreparedSync>;
    }
  | { readonly ok: false; readonly lines: string[]; readonly exitCode: number };

function runInput(
  prepared: PreparedDestination,
  sink: Sink,
  engine: EgressEngine,
  product: string,
  basisFlags: string,
): DestinationRunInput | undefined {
  const { planned } = prepared;
  const snapshotId = prepared.source.snapshotId ?? null;
  const description = engine.describeDelivery(sink, {
    sourceTable: planned.sourceTable,
    snapshotId,
    disposition: planned.disposition,
  });
  if (description === undefined) return undefined;
  const kind = destinationSyncKind(prepared, engine);
  return {
    prepared,
    destination: planned.name,
    sinkType: planned.sinkType,
    target: prepared.target,
    sourceTable: planned.sourceTable,
    snapshotId,
    totalRows: prepared.rows,
    disposition: planned.disposition,
    ...(planned.fieldMapping !== undefined && { fieldMapping: planned.fieldMapping }),
    description,
    product,
    // The kind, mode and --full-resync / --full-scan fix a sync run's rows: a run resumes only with the same ones.
    ...(kind !== 'all' && { syncBasis: `${kind}:${planned.sync.mode}${basisFlags}` }),
  };
}

async function lastCompleted(
  plan: RunPlan<DestinationRunInput>,
): Promise<{ lastCompleted: string | undefined; drift: string | undefined }> {
  const found = await lastCompletedSync(plan);
  return { lastCompleted: found.drift === undefined ? found.snapshotId : undefined, drift: found.drift };
}

/**
 * What the destination's newest run says about its sync state, when it is a completed sync run into the same
 * target: the snapshot it delivered, and — for a ledger that checks its destination — whether the target was
 * dropped, recreated or truncated since (then the state no longer describes it).
 */
async function lastCompletedSync(
  plan: RunPlan<DestinationRunInput>,
): Promise<{ snapshotId: string | undefined; drift: string | undefined }> {
  const latest = await plan.ledger.latestRun(plan.init.destination, {
    ...(plan.init.product !== undefined && { product: plan.init.product }),
  });
  if (latest?.status !== 'completed' || latest.changes === undefined || latest.target !== plan.init.target)
    return { snapshotId: undefined, drift: undefined };
  const drift = isVerifyingLedger(plan.ledger)
    ? await plan.ledger.checkDestination(plan.init.destination, latest)
    : undefined;
  return { snapshotId: latest.snapshotId ?? undefined, drift };
}

/**
 * Plans each destination's delivery run (`@floe/delivery`'s `planRun`: a new run, or its unfinished run
 * resumed) before the first row is sent. A sink whose connector does not take part in the delivery protocol
 * gets no plan: it is delivered at least once, and the plan and receipt say so. Each plan holds its destination's
 * run lease; a destination another live process is delivering stops the run (exit 1, nothing sent).
 */
export async function planDeliveries(
  prepared: readonly PreparedDestination[],
  sinks: ReadonlyMap<string, Sink>,
  options: PlanDeliveriesOptions,
): Promise<DeliveriesPlanning> {
  const plans = new Map<string, RunPlan<DestinationRunInput>>();
  const out: PreparedDestination[] = [];
  const lines: string[] = [];
  const syncs = new Map<string, PreparedSync>();
  const product = options.prepare.project.plan.product.name;
  const fullResync = options.fullResync === true;
  const basisFlags = `${fullResync ? ':full-resync' : ''}${options.fullScan === true ? ':full-scan' : ''}`;
  let busy = false;
  let exitCode: ExitCode = ExitCode.CONFIGURATION;
  for (const p of prepared) {
    const sink = sinks.get(p.planned.name);
    if (sink === undefined) continue;
    const input = runInput(p, sink, options.engine, product, basisFlags);
    if (input === undefined) {
      out.push(p);
      continue;
    }
    const planning = await planRun<DestinationRunInput>(input, {
      stateStore: () => options.store.get(),
      attemptId: options.attemptId,
      restart: options.restart,
      ...(options.lease !== undefined && { lease: options.lease }),
      repin: async (snapshotId) => {
        const again = await prepareDestination(p.planned, { ...options.prepare, snapshotId });
        if (again.prepared !== undefined && again.problems.length === 0) {
          return (
            runInput(again.prepared, sink, options.engine, product, basisFlags) ?? {
              problems: ['the sink is not resumable'],
            }
          );
        }
        return { problems: again.problems.flatMap((problem) => problem.lines) };
      },
    });
    if (!planning.ok) {
      busy ||= planning.holder !== undefined;
      lines.push(`${options.prepare.project.specName}: destinations[${p.planned.index}]: ${planning.reason}`);
      continue;
    }
    let plan = planning.plan;
    plans.set(p.planned.name, plan);
    out.push(plan.input.prepared);
    // A sync run: diff now (the lease is held), so the run's rows and counts are known before the first is sent.
    if (plan.blocked !== undefined) continue;
    try {
      const sync = await prepareSync(plan.input.prepared, {
        engine: options.engine,
        store: isSyncStateLedger(plan.ledger) ? plan.ledger.sync : undefined,
        scope: { destination: p.planned.name, product },
        resumedRunId: plan.resumes?.runId,
        ...(await lastCompleted(plan)),
        fullResync,
        fullScan: options.fullScan === true,
        allowMassDelete: options.allowMassDelete === true,
        signal: options.prepare.signal,
      });
      if (sync === undefined) continue;
      syncs.set(p.planned.name, sync);
      plan = { ...plan, init: { ...plan.init, totalRows: sync.changeRows, changes: sync.counts } };
      plans.set(p.planned.name, plan);
    } catch (error) {
      // The diff reads the source before anything is sent: a table it cannot read is named as such.
      const at = `${options.prepare.project.specName}: destinations[${p.planned.index}]`;
      lines.push(
        isLakehouseError(error)
          ? `${at}.source_table: cannot read source table "${p.planned.sourceTable}": ${describeError(error)}`
          : `${at}: ${describeError(error)}`,
      );
      exitCode = worstExitCode(exitCode, exitCodeForCategory(errorCategory(error)) as ExitCode);
    }
  }
  if (lines.length === 0) return { ok: true, prepared: out, plans, syncs };
  // Nothing is sent: free the destinations this run had leased, and the spooled changes.
  for (const plan of plans.values()) await plan.lease?.release();
  for (const sync of syncs.values()) await sync.close();
  // Another process delivering a destination is no configuration problem: the run failed, retry it later.
  return { ok: false, lines, exitCode: busy ? ExitCode.FAILED : exitCode };
}
