import { ErrorCategory, type EgressRecordError, type RecordedReject, type WriteProgress } from '@floe/core';
import { categorizeError, httpStatusOf } from '../../errors/categorize-error.js';
import { sanitizeErrorMessage } from '../../errors/sanitize-error-message.js';
import { RecordIdList } from './record-ids.js';
import type { BatchJob, BatchResult } from './run-batch.js';

/** A batch an earlier attempt committed, skipped now, with the rows the ledger says that attempt rejected. */
export interface SkippedBatch {
  readonly job: Pick<BatchJob, 'index' | 'firstRow' | 'batch'>;
  readonly rejectedEarlier: readonly RecordedReject[];
}

/** Folds batch results into the receipt's numbers, strictly in batch order. */
export class LoadTally {
  rowsDelivered = 0;
  rowsRejected = 0;
  /** Change rows handled without writing (see `BatchOutcome.skipped`). */
  rowsSkipped = 0;
  batchesCompleted = 0;
  /** The record ids the receipt keeps (the first `maxRecordIds`; see `RecordIdOptions`). */
  readonly recordIds: RecordIdList;
  readonly errors: EgressRecordError[] = [];
  /** The first failure in batch order, if any. */
  failure: unknown = undefined;
  /** Results waiting for their predecessors; a `SkippedBatch` = one committed by an earlier attempt. */
  private readonly ready = new Map<number, BatchResult | SkippedBatch>();
  private next = 0;

  /**
   * `onFolded` gets each acknowledged batch, in batch order, with the receipt errors of its rejected rows;
   * `onSkipped` each skipped batch whose rows an earlier attempt rejected, with those rows' receipt errors.
   */
  constructor(
    private readonly onFolded: (result: BatchResult, rejected: readonly EgressRecordError[]) => void,
    maxRecordIds = Infinity,
    private readonly onSkipped: (skipped: SkippedBatch, rejected: readonly EgressRecordError[]) => void = () => {},
  ) {
    this.recordIds = new RecordIdList(maxRecordIds);
  }

  /** Accepts a result in any order; folds every result whose predecessors are folded. */
  accept(result: BatchResult): void {
    this.ready.set(result.job.index, result);
    this.drain();
  }

  /**
   * Marks a batch as skipped (committed by an earlier attempt): nothing to count, its successors may fold; the rows
   * that attempt rejected (`rejectedEarlier`, from the ledger) are listed in the receipt's errors again, so the
   * report of a resumed run lists every rejected row of the run.
   */
  skip(skipped: SkippedBatch): void {
    this.ready.set(skipped.job.index, skipped);
    this.drain();
  }

  private drain(): void {
    for (let current = this.ready.get(this.next); current !== undefined; current = this.ready.get(this.next)) {
      this.ready.delete(this.next);
      this.next += 1;
      if ('ok' in current) this.fold(current);
      else this.foldSkipped(current);
    }
  }

  /** Adds a load-level failure (abort, source error, commit failure). */
  fail(error: unknown, batch?: number): void {
    this.failure ??= error;
    this.errors.push(errorEntry(error, batch));
  }

  /** Forgets deliveries undone by a transactional rollback. */
  discardDelivered(): void {
    this.rowsDelivered = 0;
    this.rowsSkipped = 0;
    this.recordIds.clear();
  }

  progress(bytesTransmitted: number): WriteProgress {
    return {
      rowsDelivered: this.rowsDelivered,
      rowsRejected: this.rowsRejected,
      batchesCompleted: this.batchesCompleted,
      bytesTransmitted,
    };
  }

  private fold(result: BatchResult): void {
    const { job } = result;
    if (!result.ok) {
      this.fail(result.error, job.index);
      return;
    }
    const { rejected, recordIds, handledEarlier, skipped } = result.outcome;
    this.batchesCompleted += 1;
    this.rowsDelivered += job.batch.numRows - rejected.length - handledEarlier - skipped;
    this.rowsSkipped += skipped;
    this.rowsRejected += rejected.length;
    this.recordIds.add(recordIds);
    const entries: EgressRecordError[] = rejected.map((record) => ({
      message: sanitizeErrorMessage(record.message),
      category: record.category ?? ErrorCategory.PERMANENT,
      row: job.firstRow + record.index,
      batch: job.index,
      ...(record.key !== undefined && { key: record.key }),
      ...(record.httpStatus !== undefined && { httpStatus: record.httpStatus }),
    }));
    // A partly written batch resumed: the rows the earlier attempt rejected, unless met again now.
    const now = new Set(entries.map((entry) => entry.row));
    for (const reject of job.rejectedEarlier ?? []) if (!now.has(reject.row)) entries.push(earlierEntry(reject));
    entries.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    for (const entry of entries) this.errors.push(entry);
    this.onFolded(result, entries);
  }

  private foldSkipped(skipped: SkippedBatch): void {
    if (skipped.rejectedEarlier.length === 0) return;
    const entries = skipped.rejectedEarlier.map(earlierEntry);
    for (const entry of entries) this.errors.push(entry);
    this.onSkipped(skipped, entries);
  }
}

/** The receipt error of a row an earlier attempt rejected. */
function earlierEntry(reject: RecordedReject): EgressRecordError {
  return {
    message: reject.reason,
    category: (Object.values(ErrorCategory) as string[]).includes(reject.category)
      ? (reject.category as ErrorCategory)
      : ErrorCategory.PERMANENT,
    row: reject.row,
    batch: reject.batchIndex,
    ...(reject.key !== undefined && { key: reject.key }),
    ...(reject.httpStatus !== undefined && { httpStatus: reject.httpStatus }),
  };
}

/** A batch-level receipt error from anything thrown. */
export function errorEntry(error: unknown, batch?: number): EgressRecordError {
  const message = error instanceof Error ? error.message : String(error);
  const httpStatus = httpStatusOf(error);
  return {
    message: sanitizeErrorMessage(message || (error instanceof Error ? error.name : 'unknown error')),
    category: categorizeError(error),
    ...(batch !== undefined && { batch }),
    ...(httpStatus !== undefined && { httpStatus }),
  };
}
