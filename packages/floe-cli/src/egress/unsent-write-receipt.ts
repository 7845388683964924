import { createHash } from 'node:crypto';
import { ERROR_CATEGORIES, EgressResult, ErrorCategory, type WriteProgress } from '@floe/core';
import { describeError, errorCategory } from './describe-error.js';
import type { PreparedDestination } from './prepare-destination.js';

/** True when a write's last progress (none: it never reported one) says nothing was sent or acknowledged. */
export function nothingSent(progress: WriteProgress | undefined): boolean {
  return (
    progress === undefined ||
    (progress.bytesTransmitted === 0 &&
      progress.rowsDelivered === 0 &&
      progress.rowsRejected === 0 &&
      progress.batchesCompleted === 0)
  );
}

/** What {@link unsentWriteReceipt} needs besides the error. */
export interface UnsentWrite {
  readonly prepared: PreparedDestination;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** The delivery run's key when the write went through a ledger (the key its batches would have carried). */
  readonly runKey: string | undefined;
}

/**
 * The receipt of a write that threw before anything was sent — a source file that cannot be read before the first
 * batch was complete, a connector that failed before its first request — so it is reported like any failed
 * delivery: `failed`, 0 rows, 0 bytes, no checksum (`''`: there is no payload to check), and the error with its
 * category (`TRANSIENT` when it carries none: nothing says retrying is pointless). Without a ledger the
 * idempotency key is derived from the destination and the source snapshot, so it is the same on every run.
 */
export function unsentWriteReceipt(error: unknown, write: UnsentWrite): EgressResult {
  const { planned, source } = write.prepared;
  const category = ERROR_CATEGORIES.find((known) => known === errorCategory(error)) ?? ErrorCategory.TRANSIENT;
  return new EgressResult({
    success: false,
    rowsDelivered: 0,
    bytesTransmitted: 0,
    durationSeconds: Math.max(0, (write.finishedAt.getTime() - write.startedAt.getTime()) / 1000),
    checksum: '', // nothing was sent
    deliveryTimestamp: write.finishedAt,
    idempotencyKey:
      write.runKey ??
      createHash('sha256')
        .update(JSON.stringify([planned.sinkType, planned.name, planned.sourceTable, source.snapshotId ?? null]))
        .digest('hex'),
    errors: [{ message: describeError(error), category }],
  });
}
