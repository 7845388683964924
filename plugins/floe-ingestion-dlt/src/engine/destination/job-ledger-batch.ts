import { ErrorCategory, type LedgerBatch, type RecordedReject } from '@floe/core';
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

/** What a committed job counts: every row of the batch the destination holds (earlier attempts' included). */
export function jobCommittedCounts(
  job: BatchJob,
  outcome: ValidOutcome,
): { readonly rowsDelivered: number; readonly rowsRejected: number; readonly rejected: RecordedReject[] } {
  const rejected = outcome.rejected.map((record) => ({
    batchIndex: job.index,
    row: job.firstRow + record.index,
    ...(record.key !== undefined && { key: record.key }),
    reason: sanitizeErrorMessage(record.message),
    category: record.category ?? ErrorCategory.PERMANENT,
    ...(record.httpStatus !== undefined && { httpStatus: record.httpStatus }),
  }));
  return {
    rowsDelivered: job.batch.numRows - outcome.rejected.length - outcome.skipped,
    rowsRejected: outcome.rejected.length,
    rejected,
  };
}
