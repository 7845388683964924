import type { Sink } from '@floe/core';
import { planRun, type RunInput, type RunLeaseOptions, type RunPlan, type StateStoreHandle } from '@floe/delivery';
import type { EgressEngine } from '../egress/engine.js';
import { prepareDestination, type PrepareOptions, type PreparedDestination } from '../egress/prepare-destination.js';
import { ExitCode } from '../exit-code.js';

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
}

/** Plans for every destination, or the problems that stop the run before anything is sent. */
export type DeliveriesPlanning =
  | {
      readonly ok: true;
      readonly prepared: PreparedDestination[];
      /** By destination; absent for a sink whose connector is not resumable (at-least-once). */
      readonly plans: ReadonlyMap<string, RunPlan<DestinationRunInput>>;
    }
  | { readonly ok: false; readonly lines: string[]; readonly exitCode: number };

function runInput(
  prepared: PreparedDestination,
  sink: Sink,
  engine: EgressEngine,
  product: string,
): DestinationRunInput | undefined {
  const { planned } = prepared;
  const snapshotId = prepared.source.snapshotId ?? null;
  const description = engine.describeDelivery(sink, {
    sourceTable: planned.sourceTable,
    snapshotId,
    disposition: planned.disposition,
  });
  if (description === undefined) return undefined;
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
  };
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
  const product = options.prepare.project.plan.product.name;
  let busy = false;
  for (const p of prepared) {
    const sink = sinks.get(p.planned.name);
    if (sink === undefined) continue;
    const input = runInput(p, sink, options.engine, product);
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
          return runInput(again.prepared, sink, options.engine, product) ?? { problems: ['the sink is not resumable'] };
        }
        return { problems: again.problems.flatMap((problem) => problem.lines) };
      },
    });
    if (!planning.ok) {
      busy ||= planning.holder !== undefined;
      lines.push(`${options.prepare.project.specName}: destinations[${p.planned.index}]: ${planning.reason}`);
      continue;
    }
    plans.set(p.planned.name, planning.plan);
    out.push(planning.plan.input.prepared);
  }
  if (lines.length === 0) return { ok: true, prepared: out, plans };
  // Nothing is sent: free the destinations this run had leased.
  for (const plan of plans.values()) await plan.lease?.release();
  // Another process delivering a destination is no configuration problem: the run failed, retry it later.
  return { ok: false, lines, exitCode: busy ? ExitCode.FAILED : ExitCode.CONFIGURATION };
}
