import type { DeliveryState, EgressResult, LedgerRun, LedgerRunState, LedgerRunStatus } from '@floe/core';
import type { RunPlan } from './plan-run.js';

/** How an attempt's delivery ended, as the host classifies it. */
export type AttemptStatus = 'delivered' | 'partial' | 'failed' | 'interrupted';

/**
 * What a receipt says about the run an attempt belongs to. Exact: `rowsDeliveredEarlier` (earlier attempts,
 * from the ledger when this attempt began) + `rowsDeliveredThisAttempt` (the connector's receipt) =
 * `rowsDelivered` (the ledger's total when this attempt ended), and for a completed run without rejected rows
 * `rowsDelivered` = `sourceRows`.
 */
export interface DeliverySummary {
  readonly runId: string;
  /** The product whose run this is: runs are keyed by product + destination (absent when not known). */
  readonly product?: string;
  readonly runKey: string;
  /** 1 for the attempt that started the run. */
  readonly attempt: number;
  /** Where the batches are recorded (no credentials). */
  readonly ledger: string;
  readonly ledgerKind: 'destination' | 'state-store';
  readonly resumed: boolean;
  /** The first batch this attempt had to send (`null` for a new run). */
  readonly resumedFromBatch: number | null;
  /** Batches earlier attempts had committed (read again, not sent). */
  readonly batchesSkipped: number;
  /** Intended-but-unacknowledged batches re-sent with their original idempotency key. */
  readonly batchesResent: number;
  /** False when a re-sent batch may have been applied twice (the destination does not deduplicate). */
  readonly idempotent: boolean;
  /**
   * Batches re-sent without an idempotency guarantee (the destination does not deduplicate, e.g. an API
   * without `Idempotency-Key` support): each may have been applied twice — at least once, check for duplicates.
   */
  readonly batchesResentWithoutGuarantee: number;
  readonly rowsDeliveredEarlier: number;
  readonly rowsDeliveredThisAttempt: number;
  /** Over every attempt of the run. */
  readonly rowsDelivered: number;
  readonly rowsRejected: number;
  readonly batchesCommitted: number;
  readonly batchesTotal: number;
  readonly sourceRows: number;
  readonly snapshotId: string | null;
  /** The run's status in the ledger after this attempt. */
  readonly status: LedgerRunStatus;
}

/** The ledger status an attempt that ended so leaves its run in. */
export function ledgerStatus(status: AttemptStatus): LedgerRunStatus {
  if (status === 'delivered' || status === 'partial') return 'completed';
  return status === 'interrupted' ? 'interrupted' : 'failed';
}

/** What the host's write returns: how the attempt ended and the connector's receipt, plus anything of its own. */
export interface AttemptResult {
  readonly status: AttemptStatus;
  readonly receipt: EgressResult | undefined;
}

/** The outcome of {@link runDelivery}. */
export type RunDeliveryOutcome<T extends AttemptResult> =
  | { readonly began: false; readonly error: unknown }
  | { readonly began: true; readonly result: T; readonly summary: DeliverySummary };

/** What {@link runDelivery} does besides delivering. */
export interface RunDeliveryOptions<T extends AttemptResult> {
  /**
   * Called once the attempt is ended in the ledger and before the run lease is released (e.g. to fold a sync
   * run into its state while no other process can diff against it). A throw fails the call.
   */
  readonly ended?: (result: T, summary: DeliverySummary) => Promise<void>;
}

function firstMissing(state: LedgerRunState): number {
  let index = 0;
  while (state.committed.has(index)) index += 1;
  return index;
}

/**
 * Runs one attempt of a planned delivery: begins (or resumes) the run in its ledger, calls `write` with the
 * delivery state to hand to `SinkConnector.write()` (committed batches are skipped, intended ones re-sent with
 * their keys), ends the attempt with the write's status and sums up the run. A ledger that cannot be begun
 * (or a plan that is `blocked`) returns `began: false` before anything is sent. The plan's run lease is released
 * when the attempt ends, however it ends.
 *
 * @example
 * ```ts
 * const outcome = await runDelivery(plan, async (delivery) => {
 *   const receipt = await connector.write(sink, batches, { delivery });
 *   return { status: receipt.success ? 'delivered' : 'failed', receipt };
 * });
 * ```
 */
export async function runDelivery<T extends AttemptResult>(
  plan: RunPlan,
  write: (delivery: DeliveryState) => Promise<T>,
  options: RunDeliveryOptions<T> = {},
): Promise<RunDeliveryOutcome<T>> {
  try {
    const outcome = await deliverHeld(plan, write);
    if (outcome.began) await options.ended?.(outcome.result, outcome.summary);
    return outcome;
  } finally {
    // The next process may take the destination now.
    await plan.lease?.release();
  }
}

async function deliverHeld<T extends AttemptResult>(
  plan: RunPlan,
  write: (delivery: DeliveryState) => Promise<T>,
): Promise<RunDeliveryOutcome<T>> {
  let state: LedgerRunState;
  try {
    if (plan.blocked !== undefined) throw plan.blocked;
    state = await plan.ledger.begin(plan.init);
  } catch (error) {
    return { began: false, error };
  }
  const result = await write({ ledger: plan.ledger, state });
  let run: LedgerRun | undefined;
  try {
    run = await plan.ledger.finish(plan.init.runId, ledgerStatus(result.status));
  } catch {
    // The batches are recorded; only the run's status could not be: it stays `running` (shown as interrupted).
  }
  return { began: true, result, summary: summarize(plan, state, run, result.receipt) };
}

function summarize(
  plan: RunPlan,
  state: LedgerRunState,
  run: LedgerRun | undefined,
  receipt: EgressResult | undefined,
): DeliverySummary {
  const thisAttempt = receipt?.rowsDelivered ?? 0;
  const resent = state.intended.size + state.partial.size;
  return {
    runId: plan.init.runId,
    ...(plan.init.product !== undefined && { product: plan.init.product }),
    runKey: plan.init.runKey,
    attempt: state.run.attempts,
    ledger: plan.ledger.location,
    ledgerKind: plan.ledgerKind,
    resumed: state.resumed,
    resumedFromBatch: state.resumed ? firstMissing(state) : null,
    batchesSkipped: state.committed.size,
    batchesResent: resent,
    idempotent: resent === 0 || plan.input.description.idempotent,
    batchesResentWithoutGuarantee: plan.input.description.idempotent ? 0 : resent,
    rowsDeliveredEarlier: state.run.rowsDelivered,
    rowsDeliveredThisAttempt: thisAttempt,
    rowsDelivered: run?.rowsDelivered ?? state.run.rowsDelivered + thisAttempt,
    rowsRejected: run?.rowsRejected ?? state.run.rowsRejected + (receipt?.rowsRejected ?? 0),
    batchesCommitted: run?.batchesCommitted ?? state.run.batchesCommitted,
    batchesTotal: state.run.batchesTotal,
    sourceRows: plan.init.totalRows,
    snapshotId: plan.init.snapshotId,
    status: run?.status ?? 'running',
  };
}
