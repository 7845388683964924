import { createHash } from 'node:crypto';
import type { BatchOutcome, RejectedRecord } from '../../engine/destination/types.js';
import { categorizeError } from '../../errors/categorize-error.js';
import { sanitizeErrorMessage } from '../../errors/sanitize-error-message.js';
import { isSinkWriteError, type SinkWriteError } from '../../errors/sink-write-error.js';
import type { ResponseOutcome } from './rest-response.js';

/** Statuses with which a batch API refuses a whole request because of what some of its records hold. */
export const SPLIT_STATUSES: ReadonlySet<number> = new Set([400, 422]);

/**
 * Sends rows `[start, end)` of a batch as one request whose idempotency key is `key`, and resolves to what
 * the answer says about them (indexes relative to `start`); counts the body as transmitted only when the
 * API accepts it. Throws the request's categorised error otherwise.
 */
export type RangeSender = (start: number, end: number, key: string) => Promise<ResponseOutcome>;

/** What {@link deliverSplitting} does besides sending. */
export interface SplitOptions {
  /** Bisect a refused batch (default true); false: a refused batch fails whole. */
  readonly split: boolean;
  /** Called before each request for a part of the batch (for tracing). */
  readonly onSplit?: (start: number, end: number) => void;
  /**
   * True once the API accepted a request of this load (this batch's parts included). Until then, a batch
   * refused row by row is a wrong request, not wrong rows: it fails. Default: never.
   */
  readonly loadAccepted?: () => boolean;
}

/** The idempotency key of rows `[start, end)` of a batch: deterministic, distinct from the batch's own key. */
export function rangeKey(batchKey: string, start: number, end: number): string {
  return createHash('sha256').update(`${batchKey}\u0000${start}-${end}`).digest('hex');
}

/** True for an HTTP answer that refuses a request for its content (400 / 422), the case a split can narrow. */
export function refusesRecords(error: unknown): error is SinkWriteError {
  return isSinkWriteError(error) && error.httpStatus !== undefined && SPLIT_STATUSES.has(error.httpStatus);
}

/**
 * Delivers the `count` rows of a batch with one request; when a batch API refuses the whole request
 * (400 / 422, {@link SPLIT_STATUSES}), bisects it — each half is resent with its own deterministic key
 * ({@link rangeKey}) — until the refused rows are single: those are rejected with the API's reason, every
 * accepted part is delivered. 401 / 403, transient failures after retries and any other error are never
 * split. Before the API has accepted any request of the load (`loadAccepted`), a batch refused row by row
 * fails with the API's first answer: the request itself is wrong (a wrong field name, a wrong endpoint), so
 * a misconfigured load stops after its first batch. When a part fails for another reason after rows were
 * accepted, the rows not delivered are rejected with that failure's category; when nothing of the batch was
 * delivered, the batch fails with it. At most `2 × count − 1` requests are sent for one batch.
 *
 * @example
 * ```ts
 * const outcome = await deliverSplitting(rows.length, context.idempotencyKey, send, { split: true });
 * ```
 */
export async function deliverSplitting(
  count: number,
  batchKey: string,
  send: RangeSender,
  options: SplitOptions,
): Promise<BatchOutcome> {
  let refusal: SinkWriteError;
  try {
    return await send(0, count, batchKey);
  } catch (error) {
    if (!options.split || count < 2 || !refusesRecords(error)) throw error;
    refusal = error;
  }
  const recordIds: string[] = [];
  const rejected: RejectedRecord[] = [];
  let delivered = 0;
  let failure: unknown;

  const rejectRange = (start: number, end: number, error: unknown, prefix: string): void => {
    const message = sanitizeErrorMessage(`${prefix}${error instanceof Error ? error.message : String(error)}`);
    const httpStatus = isSinkWriteError(error) ? error.httpStatus : undefined;
    for (let index = start; index < end; index += 1) {
      rejected.push({
        index,
        message,
        category: categorizeError(error),
        ...(httpStatus !== undefined && { httpStatus }),
      });
    }
  };
  const visit = async (start: number, end: number): Promise<void> => {
    if (failure !== undefined) {
      rejectRange(start, end, failure, 'not sent after an earlier part of the split batch failed: ');
      return;
    }
    options.onSplit?.(start, end);
    try {
      const outcome = await send(start, end, rangeKey(batchKey, start, end));
      delivered += end - start - outcome.rejected.length;
      for (const id of outcome.recordIds) recordIds.push(id);
      for (const record of outcome.rejected) rejected.push({ ...record, index: record.index + start });
    } catch (error) {
      if (!refusesRecords(error)) {
        failure = error;
        rejectRange(start, end, error, 'not delivered while the batch was being split: ');
      } else if (end - start === 1) {
        rejectRange(start, end, error, '');
      } else {
        const middle = start + Math.ceil((end - start) / 2);
        await visit(start, middle);
        await visit(middle, end);
      }
    }
  };
  const middle = Math.ceil(count / 2);
  await visit(0, middle);
  await visit(middle, count);
  if (failure !== undefined && delivered === 0) throw failure;
  if (delivered === 0 && options.loadAccepted?.() !== true) throw refusal;
  return { recordIds, rejected };
}
