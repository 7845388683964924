import { ErrorCategory, type EgressRecordError, type WriteProgress } from '@floe/core';
import { categorizeError, httpStatusOf } from '../../errors/categorize-error.js';
import { sanitizeErrorMessage } from '../../errors/sanitize-error-message.js';
import { RecordIdList } from './record-ids.js';
import type { BatchResult } from './run-batch.js';

/** Folds batch results into the receipt's numbers, strictly in batch order. */
export class LoadTally {
  rowsDelivered = 0;
  rowsRejected = 0;
  batchesCompleted = 0;
  /** The record ids the receipt keeps (the first `maxRecordIds`; see `RecordIdOptions`). */
  readonly recordIds: RecordIdList;
  readonly errors: EgressRecordError[] = [];
  /** The first failure in batch order, if any. */
  failure: unknown = undefined;
  /** Results waiting for their predecessors; `null` = a batch skipped (committed by an earlier attempt). */
  private readonly ready = new Map<number, BatchResult | null>();
  private next = 0;

  /** `onFolded` gets each acknowledged batch, in batch order, with the receipt errors of its rejected rows. */
  constructor(
    private readonly onFolded: (result: BatchResult, rejected: readonly EgressRecordError[]) => void,
    maxRecordIds = Infinity,
  ) {
    this.recordIds = new RecordIdList(maxRecordIds);
  }

  /** Accepts a result in any order; folds every result whose predecessors are folded. */
  accept(result: BatchResult): void {
    this.ready.set(result.job.index, result);
    this.drain();
  }

  /** Marks batch `index` as skipped: nothing to count, its successors may fold. */
  skip(index: number): void {
    this.ready.set(index, null);
    this.drain();
  }

  private drain(): void {
    for (let current = this.ready.get(this.next); current !== undefined; current = this.ready.get(this.next)) {
      this.ready.delete(this.next);
      this.next += 1;
      if (current !== null) this.fold(current);
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
    const { rejected, recordIds, handledEarlier } = result.outcome;
    this.batchesCompleted += 1;
    this.rowsDelivered += job.batch.numRows - rejected.length - handledEarlier;
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
    for (const entry of entries) this.errors.push(entry);
    this.onFolded(result, entries);
  }
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
