import { EgressResult, type ErrorCategory, type Sink } from '@floe/core';
import { runDelivery, type RunPlan } from '@floe/delivery';
import {
  deliver,
  exitCodeOf,
  type DeliverOptions,
  type DeliveryGuarantee,
  type DeliveryOutcome,
} from '../egress/deliver.js';
import { describeError, errorCategory } from '../egress/describe-error.js';
import type { PreparedDestination } from '../egress/prepare-destination.js';
import { FailedFiles } from '../sync/failed-files.js';
import type { DestinationRunInput } from './plan-deliveries.js';

/** A delivery that stopped before the first row because its ledger could not be read or written. */
function failedBeforeSending(plan: RunPlan, error: unknown, startedAt: Date, finishedAt: Date): DeliveryOutcome {
  const receipt = new EgressResult({
    success: false,
    rowsDelivered: 0,
    bytesTransmitted: 0,
    durationSeconds: Math.max(0, (finishedAt.getTime() - startedAt.getTime()) / 1000),
    checksum: '', // nothing was sent
    deliveryTimestamp: finishedAt,
    idempotencyKey: plan.init.runKey,
    errors: [
      {
        message: `cannot use the delivery ledger at ${plan.ledger.location}: ${describeError(error)}`,
        category: (errorCategory(error) ?? 'TRANSIENT') as ErrorCategory,
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

/**
 * Delivers one destination through its plan's ledger (`@floe/delivery`'s `runDelivery`): begins (or resumes)
 * the run, streams the source with the recorded state — committed batches skipped, intended ones re-sent with
 * their keys — and ends the attempt with the delivery's status. Without a plan (a connector that does not take
 * part in the delivery protocol) it is a plain, at-least-once `deliver`. Never throws: a ledger that cannot be
 * opened fails the delivery before anything is sent.
 */
export async function deliverResumable(
  prepared: PreparedDestination,
  plan: RunPlan<DestinationRunInput> | undefined,
  sink: Sink,
  options: DeliverOptions,
): Promise<DeliveryOutcome> {
  if (plan === undefined) return { ...(await deliver(prepared, sink, options)), guarantee: 'at-least-once' };
  const guarantee: DeliveryGuarantee = plan.input.description.idempotent ? 'exactly-once' : 'at-least-once';
  const startedAt = options.now();
  const { sync } = options;
  const failed = new FailedFiles();
  for (const reject of sync?.rejected ?? []) failed.add(reject.file);
  let stateError: unknown;
  const outcome = await runDelivery(
    plan,
    (delivery) =>
      deliver(plan.input.prepared, sink, {
        ...options,
        delivery,
        onRejected: (rejected) => {
          failed.rejected(rejected);
          options.onRejected?.(rejected);
        },
      }),
    {
      // Folded while the lease is held: no other process diffs against a state missing this run's changes.
      ended: async (_result, summary) => {
        try {
          await sync?.complete(summary.runId, summary.status, failed.files);
        } catch (error) {
          stateError = error;
        }
      },
    },
  ).finally(() => sync?.close());
  if (!outcome.began) return { ...failedBeforeSending(plan, outcome.error, startedAt, options.now()), guarantee };
  const result: DeliveryOutcome = { ...outcome.result, delivery: outcome.summary, guarantee };
  return stateError === undefined ? result : syncStateFailed(result, plan, stateError);
}

/**
 * The rows were delivered but the sync state could not record it: the outcome fails (exit 1) and says so —
 * the run is completed in the ledger, so its pending rows are folded in by the next run before it diffs.
 */
function syncStateFailed(outcome: DeliveryOutcome, plan: RunPlan, error: unknown): DeliveryOutcome {
  return {
    ...outcome,
    status: 'failed',
    exitCode: exitCodeOf('failed', undefined, error),
    error: new Error(
      `the rows were delivered, but the sync state at ${plan.ledger.location} could not be updated: ${describeError(error)}; ` +
        'the next run folds them in before it diffs',
    ),
  };
}
