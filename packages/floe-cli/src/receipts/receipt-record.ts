import { basename } from 'node:path';
import type { EgressPlan } from '@floe/core';
import type { DeliveryOutcome } from '../egress/deliver.js';
import { errorJson } from '../egress/describe-error.js';
import type { PreparedDestination } from '../egress/prepare-destination.js';

/** Version of the receipt file layout. */
export const RECEIPT_FORMAT = 1;

/**
 * The JSON saved as `.floe/runs/<run-id>/<destination>.json`: the plugin's receipt (EgressResult)
 * with what was read, where it went and how the run ended. Holds no secret (it is redacted again
 * before it is written).
 */
export function receiptRecord(
  runId: string,
  plan: EgressPlan,
  prepared: PreparedDestination,
  outcome: DeliveryOutcome,
): Record<string, unknown> {
  const { planned, source } = prepared;
  return {
    format: RECEIPT_FORMAT,
    runId,
    product: plan.product,
    destination: planned.name,
    sinkType: planned.sinkType,
    status: outcome.status,
    exitCode: outcome.exitCode,
    startedAt: outcome.startedAt.toISOString(),
    finishedAt: outcome.finishedAt.toISOString(),
    source: {
      table: planned.sourceTable,
      snapshotId: source.snapshotId ?? null,
      snapshotTimestamp: source.snapshotTimestamp ?? null,
      rows: prepared.rows,
    },
    target: prepared.target,
    disposition: planned.disposition,
    guarantee: outcome.guarantee ?? 'at-least-once',
    batchSize: planned.batchSize ?? null,
    fieldMapping: planned.fieldMapping ?? null,
    receipt: outcome.receipt ? outcome.receipt.toJSON() : null,
    // the rejected-rows file sits beside the receipt
    rejected: outcome.rejected
      ? {
          file: basename(outcome.rejected.file),
          rows: outcome.rejected.rows,
          ...(outcome.rejected.error !== undefined && { error: outcome.rejected.error }),
        }
      : null,
    ...(outcome.stopped !== undefined && { stopped: outcome.stopped }),
    // the delivery run this attempt belongs to (resume accounting), when runs are recorded
    ...(outcome.delivery !== undefined && { delivery: outcome.delivery }),
    // a sync run: its mode, path and what its diff found
    ...(outcome.sync !== undefined && { sync: outcome.sync }),
    ...(outcome.error !== undefined && { error: errorJson(outcome.error) }),
  };
}
