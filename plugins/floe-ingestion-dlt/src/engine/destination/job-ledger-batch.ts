import { ErrorCategory, type LedgerBatch, type RecordedReject, type SyncDeltaRow } from '@floe/core';
import { syncDeltaOf } from '@floe/delivery';
import { sanitizeErrorMessage } from '../../errors/sanitize-error-message.js';
import type { BatchJob, ValidOutcome } from './run-batch.js';

/** The ledger record of a batch job: its index, rows and idempotency key. */
export function jobLedgerBatch(job: BatchJob): LedgerBatch {
  return {
    batchIndex: job.index,
    firstRow: job.firstRow,
    rowCount: job.batch.numRows,
    idempotencyKey: job.idempotencyKey,
  };
}

/** What {@link jobCommittedCounts} records. */
export interface JobCommittedCounts {
  readonly rowsDelivered: number;
  readonly rowsRejected: number;
  readonly rejected: RecordedReject[];
  /** A sync run's handled change rows (delivered and skipped; rejected rows excluded), with the ids returned. */
  readonly sync?: SyncDeltaRow[];
}

/**
 * What a committed job counts: every row of the batch the destination holds (earlier attempts' included), rows
 * skipped excluded; with `sync`, the handled change rows as sync deltas (`syncDeltaOf`).
 */
export function jobCommittedCounts(
  job: BatchJob,
  outcome: ValidOutcome,
  options: { readonly sync?: boolean } = {},
): JobCommittedCounts {
  const rejected = outcome.rejected.map((record) => ({
    batchIndex: job.index,
    row: job.firstRow + record.index,
    ...(record.key !== undefined && { key: record.key }),
    reason: sanitizeErrorMessage(record.message),
    category: record.category ?? ErrorCategory.PERMANENT,
    ...(record.httpStatus !== undefined && { httpStatus: record.httpStatus }),
  }));
  const counts = {
    rowsDelivered: job.batch.numRows - outcome.rejected.length - outcome.skipped,
    rowsRejected: outcome.rejected.length,
    rejected,
  };
  if (options.sync !== true) return counts;
  const refused = new Set(outcome.rejected.map((record) => record.index));
  const handled: number[] = [];
  for (let i = 0; i < job.batch.numRows; i += 1) if (!refused.has(i)) handled.push(i);
  return { ...counts, sync: syncDeltaOf(job.batch, handled, outcome.destinationIds) };
}
