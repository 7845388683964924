import { batchFromColumns } from '../../internal/arrow/rechunk.js';
import type { LoadOptions } from './load-options.js';
import { LoadTally } from './load-tally.js';
import type { PayloadLedger } from './payload-ledger.js';
import type { TablePlan } from './plan-table.js';

/**
 * The load's tally, reporting each batch it folds (in batch order) to the caller's callbacks: `onRejected` (the
 * batch as read from the source, before renaming), `onRecordIds`, then `onProgress`. A failing callback must
 * not corrupt the delivery's accounting: each is isolated.
 */
export function createLoadTally(
  options: LoadOptions,
  plan: TablePlan | undefined,
  payloads: PayloadLedger,
  maxRecordIds: number,
): LoadTally {
  const tally = new LoadTally(
    (result, rejected) => {
      if (rejected.length > 0 && options.onRejected !== undefined && plan !== undefined) {
        const { index, firstRow, batch } = result.job;
        const source = batchFromColumns(plan.sourceSchema, batch.numRows, batch.data.children);
        ignoreFailure(() => options.onRejected?.({ batchIndex: index, firstRow, batch: source, errors: rejected }));
      }
      if (result.ok && result.outcome.recordIds.length > 0 && options.onRecordIds !== undefined) {
        const { index, firstRow, batch } = result.job;
        const { recordIds } = result.outcome;
        ignoreFailure(() => options.onRecordIds?.(recordIds, { batchIndex: index, firstRow, rowCount: batch.numRows }));
      }
      ignoreFailure(() => options.onProgress?.(tally.progress(payloads.bytes)));
    },
    maxRecordIds,
    (skipped, rejected) => {
      if (options.onRejected === undefined || plan === undefined) return;
      const { index, firstRow, batch } = skipped.job;
      const source = batchFromColumns(plan.sourceSchema, batch.numRows, batch.data.children);
      ignoreFailure(() => options.onRejected?.({ batchIndex: index, firstRow, batch: source, errors: rejected }));
    },
  );
  return tally;
}

function ignoreFailure(callback: () => void): void {
  try {
    callback();
  } catch {
    // The caller's callback failed; the load goes on.
  }
}
