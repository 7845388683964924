import type { Span } from '@opentelemetry/api';
import { Schema } from 'apache-arrow';
import type { EgressData, EgressResult } from '@floe/core';
import type { LoadClock, LoadOptions } from './load-options.js';
import { IngestionError } from '../../errors/ingestion-error.js';
import { ATTR_SINK_DESTINATION, ATTR_SINK_OPERATION, ATTR_SINK_TYPE } from '../tracing/attributes.js';
import { egressSpan } from '../tracing/egress-span.js';
import { commitOrRollback } from './commit-or-rollback.js';
import { createLoadTally } from './create-load-tally.js';
import { DeliveryTracker } from '@floe/delivery';
import type { Destination } from './destination.js';
import { loadBatches, loadBatchSize } from './load-batches.js';
import { openLoadInput } from './load-input.js';
import { loadReceipt } from './load-receipt.js';
import { PayloadLedger } from './payload-ledger.js';
import { planTable } from './plan-table.js';
import { recordIdCap } from './record-ids.js';
import { sendBatches } from './send-batches.js';
import type { LoadContext } from './types.js';

export type { LoadClock, LoadOptions } from './load-options.js';

const SYSTEM_CLOCK: LoadClock = { now: () => performance.now(), date: () => new Date() };

/**
 * Delivers Arrow data to a destination in dlt's model and returns the receipt.
 *
 * The data is streamed (a `Table` or any sync/async iterable of `RecordBatch`), renamed by `fieldMapping`
 * and the destination's naming convention, re-chunked into `batchSize` rows (slices; rows straddling input
 * batches are copied), and handed to `destination.fn` batch by batch — up to `maxParallelLoadJobs` at once,
 * results folded in batch order — between `hooks.open` and `hooks.commit` (`hooks.rollback` on failure/abort).
 *
 * Throws or returns? It THROWS (a typed, categorised {@link IngestionError}) only for misuse detected before
 * anything is sent: data that is not Arrow, a mapped column missing, colliding names, an unknown primary-key
 * column. Once the destination is involved it RETURNS a receipt, also for partial and failed deliveries: rows
 * rejected by the destination are listed with their source row; a batch that throws stops the load (no new
 * batch starts, batches in flight finish and count), the destination is rolled back, and the receipt says
 * exactly what was delivered with the failure's category. An abort stops between batches the same way.
 * `options.onRejected` receives, in batch order, each batch in which rows were rejected (as read from the source,
 * before renaming) with those rows' receipt errors, so a caller can keep the rejected rows' values.
 *
 * Receipt: `destinationRecordIds` holds the first `options.maxRecordIdsInReceipt` ids (default 10,000) the
 * destination returned, so memory does not grow with the rows; every id goes to `options.onRecordIds`, and the
 * load span tells whether ids were left out (`sink.record_ids.truncated`). `bytesTransmitted` and `checksum`
 * cover what destinations reported via `context.addPayload`, in batch order (SHA-256 of nothing when nothing was
 * sent). Idempotency: each batch's key is `sha256(base, index, digest of the batch's Arrow content)` with base =
 * `options.idempotencyKey` or the destination identity; the receipt's key is `options.idempotencyKey`, else
 * `sha256(identity, batch keys…)` — the same data to the same destination gives the same keys on every run.
 *
 * @example
 * ```ts
 * const receipt = await loadToDestination(myDestination, table, { fieldMapping: { customer_id: 'id' } });
 * if (!receipt.success) console.error(receipt.status, receipt.errors);
 * ```
 */
export async function loadToDestination(
  destination: Destination,
  data: EgressData,
  options: LoadOptions = {},
): Promise<EgressResult> {
  if (options.span !== undefined) return load(destination, data, options, options.span);
  return egressSpan(
    'sink.load',
    {
      [ATTR_SINK_TYPE]: destination.sinkType,
      [ATTR_SINK_DESTINATION]: destination.name,
      [ATTR_SINK_OPERATION]: 'load',
    },
    (span) => load(destination, data, options, span),
  );
}

/** The load itself: checks the options, reads the input, opens, sends, commits or rolls back, and makes the receipt. */
async function load(
  destination: Destination,
  data: EgressData,
  options: LoadOptions,
  span: Span,
): Promise<EgressResult> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const started = clock.now();
  const batchSize = loadBatchSize(destination, options.batchSize);
  const maxRecordIds = recordIdCap(options, { sinkType: destination.sinkType, destination: destination.name });
  const input = await openLoadInput(data);
  const sync = { sync: options.sync !== undefined };
  const plan =
    input.schema === undefined ? undefined : planTable(input.schema, destination, options.fieldMapping, sync);
  const table = plan?.table ?? planTable(new Schema([]), destination, {}).table;

  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const payloads = new PayloadLedger();
  const tally = createLoadTally(options, plan, payloads, maxRecordIds);
  const context: LoadContext = { table, signal, span, ...(options.sync !== undefined && { sync: options.sync }) };
  const tracker =
    options.delivery === undefined
      ? undefined
      : new DeliveryTracker(options.delivery, { destination: destination.name });
  const keyBase = tracker?.runKey ?? options.idempotencyKey ?? destination.identity;
  let batchKeys: string[] = [];

  try {
    await destination.hooks.open?.(context);
  } catch (error) {
    tally.fail(error);
  }
  if (tally.failure === undefined) {
    const pipeline = {
      destination,
      context,
      payloads,
      tally,
      keyBase,
      delivery: options.delivery,
      tracker,
      ...(options.onEvent !== undefined && { onEvent: options.onEvent }),
    };
    batchKeys = await sendBatches(pipeline, loadBatches(input, plan, batchSize));
    if (options.signal?.aborted && tally.failure === undefined) {
      tally.fail(abortError(options.signal, destination));
    }
  }
  if (await commitOrRollback(destination, context, tally)) {
    await tracker?.discarded().catch((error: unknown) => tally.fail(error));
  }
  const { idempotencyKey } = options;
  return loadReceipt(span, { destination, tally, payloads, batchKeys, idempotencyKey, clock, started });
}

function abortError(signal: AbortSignal, destination: Destination): IngestionError {
  const reason = signal.reason instanceof Error ? `: ${signal.reason.message}` : '';
  return new IngestionError(`the write was aborted${reason}`, {
    category: 'TRANSIENT',
    code: 'ABORTED',
    sinkType: destination.sinkType,
    destination: destination.name,
  });
}
