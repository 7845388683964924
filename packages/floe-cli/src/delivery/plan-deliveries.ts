import type { Sink } from '@floe/core';
import type { EngineDelivery } from '../egress/engine.js';
import { prepareDestination, type PrepareOptions, type PreparedDestination } from '../egress/prepare-destination.js';
import { ExitCode, worstExitCode } from '../exit-code.js';
import { planDelivery, type DeliveryPlan } from './plan-delivery.js';
import type { StateStoreHandle } from './state-store-handle.js';

/** What {@link planDeliveries} needs. */
export interface PlanDeliveriesOptions {
  readonly delivery: EngineDelivery | undefined;
  readonly store: StateStoreHandle | undefined;
  readonly attemptId: string;
  readonly restart: boolean;
  /** To re-open a destination's source at an unfinished run's snapshot. */
  readonly prepare: PrepareOptions;
}

/** Plans for every destination, or the problems that stop the run before anything is sent. */
export type DeliveriesPlanning =
  | { readonly ok: true; readonly prepared: PreparedDestination[]; readonly plans: ReadonlyMap<string, DeliveryPlan> }
  | { readonly ok: false; readonly lines: string[]; readonly exitCode: number };

/**
 * Plans each destination's delivery run (see {@link planDelivery}) before the first row is sent. Without an
 * engine that supports ledgers, destinations are delivered as before (no run recorded, nothing resumed).
 */
export async function planDeliveries(
  prepared: readonly PreparedDestination[],
  sinks: ReadonlyMap<string, Sink>,
  options: PlanDeliveriesOptions,
): Promise<DeliveriesPlanning> {
  const { delivery, store } = options;
  if (delivery === undefined || store === undefined) return { ok: true, prepared: [...prepared], plans: new Map() };
  const plans = new Map<string, DeliveryPlan>();
  const out: PreparedDestination[] = [];
  const lines: string[] = [];
  let exitCode: ExitCode = ExitCode.OK;
  for (const p of prepared) {
    const sink = sinks.get(p.planned.name);
    if (sink === undefined) continue;
    const planning = await planDelivery(p, sink, {
      delivery,
      store: () => store.get(),
      attemptId: options.attemptId,
      restart: options.restart,
      specName: options.prepare.project.specName,
      repin: async (snapshotId) => {
        const again = await prepareDestination(p.planned, { ...options.prepare, snapshotId });
        if (again.prepared !== undefined && again.problems.length === 0) return again.prepared;
        return again.problems.flatMap((problem) => problem.lines);
      },
    });
    if (!planning.ok) {
      lines.push(...planning.lines);
      exitCode = worstExitCode(exitCode, planning.exitCode as ExitCode);
      continue;
    }
    plans.set(p.planned.name, planning.plan);
    out.push(planning.plan.prepared);
  }
  return lines.length > 0 ? { ok: false, lines, exitCode } : { ok: true, prepared: out, plans };
}
