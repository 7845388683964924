import type { LedgerBatch } from '@floe/core';
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
): { readonly rowsDelivered: number; readonly rowsRejected: number } {
  return { rowsDelivered: job.batch.numRows - outcome.rejected.length, rowsRejected: outcome.rejected.length };
}
