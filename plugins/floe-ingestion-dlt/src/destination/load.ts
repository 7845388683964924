import { createHash } from 'node:crypto';
import type { Span } from '@opentelemetry/api';
import { EgressResult, type EgressData, type WriteOptions } from '@floe/core';
import { IngestionError } from '../errors/ingestion-error.js';
import { digestBatch } from '../internal/arrow/digest-batch.js';
import { batchFromColumns, rechunk } from '../internal/arrow/rechunk.js';
import { ATTR_SINK_DESTINATION, ATTR_SINK_OPERATION, ATTR_SINK_TYPE } from '../tracing/attributes.js';
import { egressSpan, recordEgressResult } from '../tracing/egress-span.js';
import type { Destination } from './destination.js';
import { openLoadInput } from './load-input.js';
import { LoadTally } from './load-tally.js';
import { PayloadLedger } from './payload-ledger.js';
import { planTable, schemaDifference, type TablePlan } from './plan-table.js';
import type { DeliveryState } from '@floe/core';
import { DeliveryTracker } from '@floe/delivery';
import { jobCommittedCounts, jobLedgerBatch } from './job-ledger-batch.js';
import { runBatch, type BatchJob, type BatchResult, type BatchRunner } from './run-batch.js';
import type { LoadContext, RollbackOutcome } from './types.js';
import {
  ATTR_SINK_RECORD_IDS_TOTAL,
  ATTR_SINK_RECORD_IDS_TRUNCATED,
  recordIdCap,
  type RecordIdOptions,
} from './record-ids.js';
import { Schema, type RecordBatch } from 'apache-arrow';

/** Time source of a load (inject a fake one in tests). */
export interface LoadClock {
  /** Monotonic milliseconds (for durations). */
  now(): number;
  /** Wall-clock time (for `deliveryTimestamp`). */
  date(): Date;
}

/** Options of {@link loadToDestination}: the `write()` options plus mapping, batch size and tracing. */
export interface LoadOptions extends WriteOptions, RecordIdOptions {
  /** Source column → destination field (renaming; other columns pass unchanged). */
  readonly fieldMapping?: Readonly<Record<string, string>>;
  /** Overrides the destination's rows per batch (0 = everything in one batch). */
  readonly batchSize?: number;
  /** The operation span to record on and parent batch spans to; default: a new `sink.load` span. */
  readonly span?: Span;
  readonly clock?: LoadClock;
  /**
   * Deliver with a ledger: batches the run's earlier attempts committed are skipped (still read), intended
   * ones are re-sent with the same idempotency key, every batch is recorded as intended before it is sent and
   * as committed once acknowledged; batch keys derive from the run key. See `DeliveryLedger`.
   */
  readonly delivery?: DeliveryState;
}

const SYSTEM_CLOCK: LoadClock = { now: () => performance.now(), date: () => new Date() };

function sha256(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

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

async function load(
  destination: Destination,
  data: EgressData,
  options: LoadOptions,
  span: Span,
): Promise<EgressResult> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const started = clock.now();
  const batchSize = options.batchSize ?? destination.batchSize;
  if (!Number.isInteger(batchSize) || batchSize < 0) {
    throw new IngestionError(`batchSize must be a whole number ≥ 0, got ${String(batchSize)}`, {
      category: 'CONFIGURATION',
      code: 'SINK_CONFIGURATION',
      sinkType: destination.sinkType,
      destination: destination.name,
    });
  }
  const maxRecordIds = recordIdCap(options, { sinkType: destination.sinkType, destination: destination.name });
  const input = await openLoadInput(data);
  const plan = input.schema === undefined ? undefined : planTable(input.schema, destination, options.fieldMapping);
  const table = plan?.table ?? planTable(new Schema([]), destination, {}).table;

  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const ledger = new PayloadLedger();
  const tally = new LoadTally((result, rejected) => {
    // A failing callback must not corrupt the delivery's accounting: both are isolated.
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
    ignoreFailure(() => options.onProgress?.(tally.progress(ledger.bytes)));
  }, maxRecordIds);
  const hookContext: LoadContext = { table, signal, span };
  const tracker =
    options.delivery === undefined
      ? undefined
      : new DeliveryTracker(options.delivery, { destination: destination.name });
  const base = tracker?.runKey ?? options.idempotencyKey ?? destination.identity;
  const batchKeys: string[] = [];
  let sent = false;

  try {
    await destination.hooks.open?.(hookContext);
  } catch (error) {
    tally.fail(error);
  }
  if (tally.failure === undefined) {
    const runner: BatchRunner = {
      destination,
      table,
      signal,
      parent: span,
      addPayload: (i, chunk) => ledger.add(i, chunk),
    };
    const inFlight = new Set<Promise<void>>();
    // A failing prepare leaves the batch unprepared: the destination function meets the problem itself.
    const prepare = (batch: RecordBatch): unknown => {
      try {
        return destination.hooks.prepare?.(batch, hookContext);
      } catch {
        return undefined;
      }
    };
    let stop = false;
    const settle = (result: BatchResult): void => {
      ledger.complete(result.job.index);
      if (!result.ok) stop = true;
      tally.accept(result);
    };
    let rows = 0;
    try {
      for await (const batch of rechunk(renamed(input.batches, plan), batchSize)) {
        // Work on the batch that needs no I/O — its digest, the destination's `prepare` — is done now, while the
        // batches in flight are still being written, so it overlaps their I/O instead of adding to it.
        const digest = digestBatch(batch);
        const prepared = options.delivery?.state.committed.has(batchKeys.length) === true ? undefined : prepare(batch);
        while (inFlight.size >= destination.maxParallelLoadJobs && !stop) await Promise.race(inFlight);
        if (stop || signal.aborted) break;
        const index = batchKeys.length;
        const idempotencyKey = sha256(base, String(index), digest);
        batchKeys.push(idempotencyKey);
        const firstRow = rows;
        rows += batch.numRows;
        const decision = tracker?.decide({ batchIndex: index, firstRow, rowCount: batch.numRows, idempotencyKey });
        if (decision?.skip === true) {
          // Committed by an earlier attempt of the run: read, not sent, not counted.
          ledger.complete(index);
          tally.skip(index);
          await destination.hooks.skip?.(batch, hookContext);
          continue;
        }
        const job: BatchJob = {
          index,
          firstRow,
          batch,
          idempotencyKey,
          ...(decision !== undefined && tracker?.inTransaction === true && { ledger: decision.entry }),
          ...(prepared !== undefined && { prepared }),
        };
        await tracker?.intended(jobLedgerBatch(job));
        sent = true;
        const running: Promise<void> = runBatch(runner, job)
          .then(async (result) => {
            settle(result);
            if (tracker === undefined || !result.ok) return;
            try {
              await tracker.committed(jobLedgerBatch(result.job), jobCommittedCounts(result.job, result.outcome));
            } catch (error) {
              stop = true;
              tally.fail(error, result.job.index);
            }
          })
          .finally(() => inFlight.delete(running));
        inFlight.add(running);
      }
    } catch (error) {
      await Promise.all(inFlight);
      if (!sent) {
        await destination.hooks.rollback?.(hookContext, error);
        throw error;
      }
      tally.fail(error, batchKeys.length);
    }
    await Promise.all(inFlight);
    if (options.signal?.aborted && tally.failure === undefined) {
      tally.fail(abortError(options.signal, destination));
    }
  }

  if (tally.failure === undefined) {
    try {
      await destination.hooks.commit?.(hookContext);
    } catch (error) {
      tally.fail(error);
    }
  }
  if (tally.failure !== undefined) {
    const outcome = await rollback(destination, hookContext, tally.failure);
    if (outcome?.discarded === 'all') {
      tally.discardDelivered();
      await tracker?.discarded().catch((error: unknown) => tally.fail(error));
    }
  }

  const result = new EgressResult({
    success: tally.failure === undefined && tally.errors.length === 0,
    rowsDelivered: tally.rowsDelivered,
    bytesTransmitted: ledger.bytes,
    durationSeconds: Math.max(0, (clock.now() - started) / 1000),
    checksum: ledger.digest(),
    deliveryTimestamp: clock.date(),
    idempotencyKey: options.idempotencyKey ?? sha256(destination.identity, ...batchKeys),
    destinationRecordIds: tally.recordIds.ids,
    errors: tally.errors,
  });
  recordEgressResult(span, result);
  span.setAttributes({
    [ATTR_SINK_RECORD_IDS_TOTAL]: tally.recordIds.total,
    [ATTR_SINK_RECORD_IDS_TRUNCATED]: tally.recordIds.truncated,
  });
  return result;
}

function ignoreFailure(callback: () => void): void {
  try {
    callback();
  } catch {
    // The caller's callback failed; the load goes on.
  }
}

async function rollback(
  destination: Destination,
  context: LoadContext,
  error: unknown,
): Promise<RollbackOutcome | undefined> {
  try {
    return (await destination.hooks.rollback?.(context, error)) ?? undefined;
  } catch {
    // Rollback must not throw; a failing one leaves the load failed, as it already is.
    return undefined;
  }
}

async function* renamed(batches: AsyncIterable<RecordBatch>, plan: TablePlan | undefined): AsyncGenerator<RecordBatch> {
  if (plan === undefined) return;
  const expected = plan.sourceSchema;
  for await (const batch of batches) {
    if (batch.numRows === 0) continue;
    const difference = schemaDifference(expected, batch.schema);
    if (difference !== undefined) {
      throw new IngestionError(`the data changed schema mid-stream: ${difference}`, {
        category: 'CONFIGURATION',
        code: 'SCHEMA_CHANGED',
      });
    }
    yield batchFromColumns(plan.table.arrowSchema, batch.numRows, batch.data.children);
  }
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
