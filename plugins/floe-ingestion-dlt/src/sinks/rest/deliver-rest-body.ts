import { ErrorCategory } from '@floe/core';
import type { BatchContext, BatchOutcome, RejectedRecord } from '../../engine/destination/types.js';
import { jsonRowsRange, type JsonRowsBody } from '../../engine/encoding/json-rows-body.js';
import { isSinkWriteError } from '../../errors/sink-write-error.js';
import { sanitizeErrorMessage } from '../../errors/sanitize-error-message.js';
import { ATTR_SINK_BATCH_FIRST_ROW, ATTR_SINK_BATCH_ROWS } from '../../engine/tracing/attributes.js';
import type { RestBodyFormat } from './rest-body-encoder.js';
import type { RestApiConnection } from './rest-config-schema.js';
import { sendBody, type RestTarget } from './rest-request.js';
import { readResponse } from './rest-response.js';
import { deliverSplitting, rangeKey, type RangeSender } from './split-on-reject.js';
import { bodySizeRanges } from './body-size-ranges.js';
import { RowTooLargeError } from '../../errors/row-too-large-error.js';
import { categorizeError } from '../../errors/categorize-error.js';

/** Statuses that, for `body: record`, reject that one record instead of failing the load. */
const RECORD_REJECTIONS = new Set([400, 409, 422]);

/** What {@link deliverRestBody} needs besides the batch: where and how to send, and the load's state. */
export interface RestDelivery {
  readonly target: RestTarget;
  readonly format: RestBodyFormat;
  readonly recordIdPath: RestApiConnection['record_id_path'];
  /** Bisect a batch the API refuses (400 / 422) to isolate the refused rows (never for `body: record`). */
  readonly splitOnReject: boolean;
  /** Largest request body the API accepts (`max_body_bytes`): larger batches are cut, larger records rejected. */
  readonly maxBodyBytes?: number;
  /** Whether the API accepted a request of the current load (the destination resets it when a load opens). */
  readonly load: { accepted: boolean };
}

/**
 * Sends a batch's encoded body and reads the answer into the batch's outcome: one request for the batch
 * (bisected on refusal, see `deliverSplitting`), or for `body: record` one request whose 400 / 409 / 422 rejects
 * the record. Only bodies the API accepted count as payload.
 */
export async function deliverRestBody(
  delivery: RestDelivery,
  encoded: JsonRowsBody,
  context: BatchContext,
): Promise<BatchOutcome> {
  const { target, format, load } = delivery;
  const count = encoded.ends.length;
  const send: RangeSender = async (start, end, key) => {
    const body = jsonRowsRange(encoded, start, end);
    const answer = await sendBody(target, body, context, key);
    load.accepted = true;
    const outcome = readResponse({
      status: answer.status,
      body: answer.body,
      recordCount: end - start,
      recordIdPath: delivery.recordIdPath,
      wrapKey: format.wrapKey,
    });
    context.addPayload(body);
    return outcome;
  };
  const { maxBodyBytes } = delivery;
  if (maxBodyBytes !== undefined && encoded.body.length > maxBodyBytes) {
    // Too large as one request: the rows that fit go in requests within the limit, the others are rejected.
    const { ranges, tooLarge } = bodySizeRanges(encoded, maxBodyBytes);
    const rejected: RejectedRecord[] = tooLarge.map(({ index, bytes }) => ({
      index,
      message: new RowTooLargeError(bytes, maxBodyBytes, 'max_body_bytes').message,
      category: ErrorCategory.PERMANENT,
    }));
    const recordIds: string[] = [];
    let delivered = 0;
    for (const [from, to] of ranges) {
      let outcome: BatchOutcome;
      try {
        outcome = await deliverRange(delivery, send, context, from, to, rangeKey(context.idempotencyKey, from, to));
      } catch (error) {
        if (delivered === 0) throw error;
        // What was sent stays delivered: the rows not sent are rejected with the failure's category.
        for (const [rest, restEnd] of ranges.filter(([start]) => start >= from)) {
          for (let index = rest; index < restEnd; index += 1) {
            rejected.push({
              index,
              message: sanitizeErrorMessage(`not delivered after an earlier part of the batch was: ${String(error)}`),
              category: categorizeError(error),
            });
          }
        }
        break;
      }
      delivered += to - from - (outcome.rejected?.length ?? 0);
      recordIds.push(...(outcome.recordIds ?? []));
      rejected.push(...(outcome.rejected ?? []).map((record) => ({ ...record, index: record.index + from })));
    }
    rejected.sort((a, b) => a.index - b.index);
    return { recordIds, rejected };
  }
  if (!format.recordMode) return deliverRange(delivery, send, context, 0, count, context.idempotencyKey);
  try {
    return await send(0, count, context.idempotencyKey);
  } catch (error) {
    // A TRANSIENT 409 ("idempotency key in use") that outlived its retries fails the batch; it rejects no record.
    const rejects =
      isSinkWriteError(error) && error.category !== 'TRANSIENT' && RECORD_REJECTIONS.has(error.httpStatus ?? 0);
    if (isSinkWriteError(error) && rejects) {
      context.addPayload(encoded.body);
      return {
        rejected: [
          {
            index: 0,
            message: sanitizeErrorMessage(error.message),
            category: error.category,
            httpStatus: error.httpStatus,
          },
        ],
      };
    }
    throw error;
  }
}

/** Rows `[from, to)` of the batch as one request (bisected on refusal, see `deliverSplitting`), indexes relative to `from`. */
function deliverRange(
  delivery: RestDelivery,
  send: RangeSender,
  context: BatchContext,
  from: number,
  to: number,
  key: string,
): Promise<BatchOutcome> {
  const shifted: RangeSender = (start, end, partKey) => send(from + start, from + end, partKey);
  return deliverSplitting(to - from, key, shifted, {
    split: delivery.splitOnReject,
    loadAccepted: () => delivery.load.accepted,
    onSplit: (start, end) =>
      context.span.addEvent('split', {
        [ATTR_SINK_BATCH_FIRST_ROW]: context.firstRow + from + start,
        [ATTR_SINK_BATCH_ROWS]: end - start,
      }),
  });
}
