import { isVerifyingLedger } from '@floe/core';
import type { DeliveryDescription, DeliveryLedger, LeaseHolder, LedgerRun, LedgerRunInit, RunLease } from '@floe/core';
import { mirroredLedger } from './mirrored-ledger.js';
import { leaseHeldMessage, takeRunLease, type RunLeaseOptions } from './take-run-lease.js';
import { deliveryRunKey } from './run-key.js';
import { effectiveStatus } from './run-status.js';

/** One destination's delivery as the host sees it before the run: what it reads, where, and how. */
export interface RunInput {
  readonly destination: string;
  readonly sinkType: string;
  /** Where rows go, without credentials (for `egress runs`). */
  readonly target: string;
  readonly sourceTable: string;
  /** The pinned source snapshot, `null` for a table without snapshots. */
  readonly snapshotId: string | null;
  /** Rows in the pinned snapshot. */
  readonly totalRows: number;
  readonly disposition: string;
  readonly fieldMapping?: Readonly<Record<string, string>>;
  /** What the connector says (`describeDelivery`). */
  readonly description: DeliveryDescription;
  /** The data product delivering (floe.yaml `metadata.name`): two products may share a destination name. */
  readonly product?: string;
  /** A sync run: what else fixes its rows (see `RunKeyParts.basis`). */
  readonly syncBasis?: string;
}

/** How a destination is delivered: which ledger, which run, and what it resumes. */
export interface RunPlan<TInput extends RunInput = RunInput> {
  /** The input the run is made of (re-pinned to the run's snapshot when it resumes one). */
  readonly input: TInput;
  /** Where batches are recorded: the destination's own ledger (mirrored to the state store), or the state store. */
  readonly ledger: DeliveryLedger;
  /** `destination` when the sink keeps the ledger in its batch transactions. */
  readonly ledgerKind: 'destination' | 'state-store';
  readonly init: LedgerRunInit;
  /** The unfinished run this attempt finishes, if any. */
  readonly resumes: LedgerRun | undefined;
  /**
   * Why the ledger could not be read (e.g. the destination database is unreachable): the delivery then fails
   * before sending anything — it never runs without knowing what an earlier attempt delivered.
   */
  readonly blocked?: unknown;
  /**
   * The destination's run lease, held from planning until {@link runDelivery} ends the attempt (absent for a
   * ledger that cannot lease, or a blocked plan). Release it if the plan is not run.
   */
  readonly lease?: RunLease;
  /**
   * The unfinished run this new run replaces without `--restart`: it delivered nothing (0 rows, 0 batches
   * committed) and was made with another configuration (or its snapshot is gone). It is ended as `failed`.
   */
  readonly supersedes?: LedgerRun;
}

/**
 * The outcome of {@link planRun}: a plan, or why this run cannot go ahead — an unfinished run it cannot resume
 * (configuration), or `holder`: another live process is delivering the destination (retry later).
 */
export type RunPlanning<TInput extends RunInput = RunInput> =
  | { readonly ok: true; readonly plan: RunPlan<TInput> }
  | { readonly ok: false; readonly reason: string; readonly holder?: LeaseHolder };

/** What {@link planRun} needs besides the input. */
export interface PlanRunOptions<TInput extends RunInput> {
  /** The state store (opened on first use). */
  readonly stateStore: () => DeliveryLedger;
  /** This attempt's id (e.g. the CLI run id); a new run's id is `<attemptId>/<destination>`. */
  readonly attemptId: string;
  /** `--restart`: never resume, start a new run. */
  readonly restart: boolean;
  /** Re-reads the input with its source pinned to `snapshotId` (or says why it cannot). */
  readonly repin: (snapshotId: string) => Promise<TInput | { readonly problems: readonly string[] }>;
  /** How the destination's run lease is taken (wait, timeout); default: do not wait, 30 s timeout. */
  readonly lease?: RunLeaseOptions;
}

/** The key of a destination's run lease: the product (when known) and the destination. */
export function runLeaseKey(input: RunInput): string {
  return input.product === undefined ? input.destination : `${input.product}/${input.destination}`;
}

/** The run key of an input (see `deliveryRunKey`). */
export function runKeyOf(input: RunInput): string {
  return deliveryRunKey({
    destination: input.destination,
    identity: input.description.identity,
    sourceTable: input.sourceTable,
    snapshotId: input.snapshotId,
    batchSize: input.description.batchSize,
    disposition: input.disposition,
    ...(input.fieldMapping !== undefined && { fieldMapping: input.fieldMapping }),
    ...(input.syncBasis !== undefined && { basis: input.syncBasis }),
  });
}

/**
 * Decides how a destination is delivered: a new run, or — when its newest run is unfinished and the same run
 * can be made again (same run key; the source is re-pinned to the run's snapshot when the table has moved
 * on) — that run, resumed. `replace` never resumes (its half-written table was never visible: it simply
 * starts over). An unfinished run that cannot be resumed (configuration changed, snapshot expired) is
 * superseded when it delivered nothing (ended as `failed`, see {@link RunPlan.supersedes}); otherwise it
 * refuses the run unless `restart` is set, saying what was delivered and what `--restart` does.
 *
 * @example
 * ```ts
 * const planning = await planRun(input, { stateStore: () => store, attemptId: runId, restart: false,
 *   repin: async (snapshotId) => reopen(snapshotId) });
 * if (!planning.ok) throw new Error(planning.reason);
 * ```
 */
export async function planRun<TInput extends RunInput>(
  input: TInput,
  options: PlanRunOptions<TInput>,
): Promise<RunPlanning<TInput>> {
  const own = input.description.ledger;
  const ledger = own === undefined ? options.stateStore() : mirroredLedger(own, options.stateStore());
  const ledgerKind = own === undefined ? 'state-store' : 'destination';
  const build = (target: TInput, resumes: LedgerRun | undefined): RunPlan<TInput> => ({
    input: target,
    ledger,
    ledgerKind,
    resumes,
    init: {
      // One run per destination: an egress run over several destinations starts several runs.
      runId: resumes?.runId ?? `${options.attemptId}/${target.destination}`,
      runKey: runKeyOf(target),
      attemptId: options.attemptId,
      destination: target.destination,
      ...(target.product !== undefined && { product: target.product }),
      sinkType: target.sinkType,
      target: target.target,
      sourceTable: target.sourceTable,
      snapshotId: target.snapshotId,
      batchSize: target.description.batchSize,
      disposition: target.disposition,
      totalRows: target.totalRows,
    },
  });
  const fresh = build(input, undefined);
  // One process at a time: take the lease before reading the newest run, so no live run is "resumed" twice.
  let lease: RunLease | undefined;
  try {
    const taking = await takeRunLease(ledger, runLeaseKey(input), options.attemptId, options.lease);
    if (!taking.held) {
      const now = options.lease?.now?.() ?? new Date();
      return { ok: false, reason: leaseHeldMessage(input.destination, taking.holder, now), holder: taking.holder };
    }
    lease = taking.lease;
  } catch (error) {
    return { ok: true, plan: { ...fresh, blocked: error } };
  }
  const planning = await planHeld(input, options, ledger, fresh, build);
  if (!planning.ok) {
    await lease?.release();
    return planning;
  }
  return { ok: true, plan: { ...planning.plan, ...(lease !== undefined && { lease }) } };
}

async function planHeld<TInput extends RunInput>(
  input: TInput,
  options: PlanRunOptions<TInput>,
  ledger: DeliveryLedger,
  fresh: RunPlan<TInput>,
  build: (target: TInput, resumes: LedgerRun | undefined) => RunPlan<TInput>,
): Promise<RunPlanning<TInput>> {
  let latest: LedgerRun | undefined;
  try {
    latest = await ledger.latestRun(
      input.destination,
      input.product === undefined ? undefined : { product: input.product },
    );
    // A destination ledger that no longer describes its table (dropped, truncated, ledger tables dropped).
    const drift =
      options.restart || !isVerifyingLedger(ledger)
        ? undefined
        : await ledger.checkDestination(input.destination, latest);
    if (drift !== undefined) {
      return {
        ok: false,
        reason:
          `the destination is not the one its ledger describes: ${drift}; ` +
          'check the table, then pass --restart to start a new run (what earlier runs delivered is not re-checked)',
      };
    }
  } catch (error) {
    return { ok: true, plan: { ...fresh, blocked: error } };
  }
  if (latest === undefined || latest.status === 'completed' || options.restart || input.disposition === 'replace') {
    return { ok: true, plan: fresh };
  }
  if (latest.runKey === fresh.init.runKey) return { ok: true, plan: build(input, latest) };
  const supersede = async (previous: LedgerRun): Promise<RunPlanning<TInput>> => {
    // Nothing of it reached the destination (e.g. a wrong URL): a new run loses nothing. The old run is ended
    // as failed (we hold the lease, so no live attempt is delivering it) so that `egress runs` stays truthful.
    try {
      await ledger.finish(previous.runId, 'failed');
    } catch (error) {
      return { ok: true, plan: { ...fresh, blocked: error } };
    }
    return { ok: true, plan: { ...fresh, supersedes: previous } };
  };
  const deliveredNothing = latest.rowsDelivered === 0 && latest.batchesCommitted === 0;
  const unfinished =
    `the newest run of "${input.destination}", ${latest.runId} (${effectiveStatus(latest)}, ${latest.batchesCommitted}/${latest.batchesTotal} batches, ` +
    `${latest.rowsDelivered} rows delivered), is unfinished`;
  const restart =
    `pass --restart to start a new run instead: it delivers all ${input.totalRows} rows of the current snapshot from the first batch, ` +
    `and the ${latest.rowsDelivered} rows already delivered stay delivered (a destination that does not deduplicate them receives them twice)`;
  if (latest.snapshotId !== null && latest.snapshotId !== input.snapshotId) {
    // The table moved on since: finish the run on the snapshot it started from.
    const repinned = await options.repin(latest.snapshotId);
    if ('problems' in repinned) {
      if (deliveredNothing) return supersede(latest);
      return {
        ok: false,
        reason: `${unfinished} and its snapshot ${latest.snapshotId} cannot be read again: ${repinned.problems.join('; ')}; ${restart}`,
      };
    }
    const again = build(repinned, latest);
    if (again.init.runKey === latest.runKey) return { ok: true, plan: again };
  }
  if (deliveredNothing) return supersede(latest);
  return {
    ok: false,
    reason:
      `${unfinished} and was made with another configuration (target, batch_size, field_mapping or write disposition changed): ` +
      `finish it with the configuration it started with, or ${restart}`,
  };
}
