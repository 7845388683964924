import { EMPTY_CHECKSUM, EgressResult, type Sink } from '@floe/core';
import {
  categorizeError,
  sanitizeErrorMessage,
  type LedgerRun,
  type LedgerRunState,
  type LedgerRunStatus,
} from '@floe/ingestion-dlt';
import {
  deliver,
  exitCodeOf,
  type DeliverOptions,
  type DeliveryOutcome,
  type DeliveryStatus,
} from '../egress/deliver.js';
import { describeError } from '../egress/describe-error.js';
import type { PreparedDestination } from '../egress/prepare-destination.js';
import type { DeliveryPlan } from './plan-delivery.js';

/**
 * What a receipt says about the run an attempt belongs to. Exact: `rowsDeliveredEarlier` (earlier attempts,
 * from the ledger when this attempt began) + `rowsDeliveredThisAttempt` (the plugin's receipt) =
 * `rowsDelivered` (the ledger's total when this attempt ended), and for a completed run without rejected rows
 * `rowsDelivered` = `sourceRows`.
 */
export interface DeliverySummary {
  readonly runId: string;
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
export function ledgerStatus(status: DeliveryStatus): LedgerRunStatus {
  if (status === 'delivered' || status === 'partial') return 'completed';
  return status === 'interrupted' ? 'interrupted' : 'failed';
}

/** A delivery that stopped before the first row because its ledger could not be read or written. */
function failedBeforeSending(plan: DeliveryPlan, error: unknown, startedAt: Date, finishedAt: Date): DeliveryOutcome {
  const receipt = new EgressResult({
    success: false,
    rowsDelivered: 0,
    bytesTransmitted: 0,
    durationSeconds: Math.max(0, (finishedAt.getTime() - startedAt.getTime()) / 1000),
    checksum: EMPTY_CHECKSUM,
    deliveryTimestamp: finishedAt,
    idempotencyKey: plan.init.runKey,
    errors: [
      {
        message: sanitizeErrorMessage(
          `cannot use the delivery ledger at ${plan.ledger.location}: ${describeError(error)}`,
        ),
        category: categorizeError(error),
      },
    ],
  });
  // The failure is the receipt's error, reported like any failed delivery (`crm: failed (TRANSIENT): …`).
  return {
    status: 'failed',
    exitCode: exitCodeOf('failed', receipt, undefined),
    receipt,
    error: undefined,
    startedAt,
    finishedAt,
  };
}

function firstMissing(state: LedgerRunState): number {
  let index = 0;
  while (state.committed.has(index)) index += 1;
  return index;
}

/**
 * Delivers one destination through its plan's ledger: begins (or resumes) the run, streams the source with
 * the recorded state — committed batches skipped, intended ones re-sent with their keys — and ends the
 * attempt with the delivery's status. Without a plan (an engine without ledgers) it is a plain `deliver`.
 * Never throws: a ledger that cannot be opened fails the delivery before anything is sent.
 */
export async function deliverResumable(
  prepared: PreparedDestination,
  plan: DeliveryPlan | undefined,
  sink: Sink,
  options: DeliverOptions,
): Promise<DeliveryOutcome> {
  if (plan === undefined) return deliver(prepared, sink, options);
  const startedAt = options.now();
  let state: LedgerRunState;
  try {
    if (plan.blocked !== undefined) throw plan.blocked;
    state = await plan.ledger.begin(plan.init);
  } catch (error) {
    return failedBeforeSending(plan, error, startedAt, options.now());
  }
  const outcome = await deliver(plan.prepared, sink, { ...options, delivery: { ledger: plan.ledger, state } });
  let run: LedgerRun | undefined;
  try {
    run = await plan.ledger.finish(plan.init.runId, ledgerStatus(outcome.status));
  } catch {
    // The batches are recorded; only the run's status could not be: it stays `running` (shown as interrupted).
  }
  const thisAttempt = outcome.receipt?.rowsDelivered ?? 0;
  return {
    ...outcome,
    delivery: {
      runId: plan.init.runId,
      runKey: plan.init.runKey,
      attempt: state.run.attempts,
      ledger: plan.ledger.location,
      ledgerKind: plan.ledgerKind,
      resumed: state.resumed,
      resumedFromBatch: state.resumed ? firstMissing(state) : null,
      batchesSkipped: state.committed.size,
      batchesResent: state.intended.size + state.partial.size,
      rowsDeliveredEarlier: state.run.rowsDelivered,
      rowsDeliveredThisAttempt: thisAttempt,
      rowsDelivered: run?.rowsDelivered ?? state.run.rowsDelivered + thisAttempt,
      rowsRejected: run?.rowsRejected ?? state.run.rowsRejected + (outcome.receipt?.rowsRejected ?? 0),
      batchesCommitted: run?.batchesCommitted ?? state.run.batchesCommitted,
      batchesTotal: state.run.batchesTotal,
      sourceRows: plan.init.totalRows,
      snapshotId: plan.init.snapshotId,
      status: run?.status ?? 'running',
    },
  };
}
