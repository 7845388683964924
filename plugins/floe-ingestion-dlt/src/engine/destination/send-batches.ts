import type { RecordBatch } from 'apache-arrow';
import { digestBatch } from '../../internal/arrow/digest-batch.js';
import type { Destination } from './destination.js';
import type { DeliveryState, WriteOptions } from '@floe/core';
import type { DeliveryTracker } from '@floe/delivery';
import { jobCommittedCounts, jobLedgerBatch } from './job-ledger-batch.js';
import { batchIdempotencyKey } from './load-keys.js';
import type { LoadTally } from './load-tally.js';
import type { PayloadLedger } from './payload-ledger.js';
import { runBatch, type BatchJob, type BatchResult, type BatchRunner } from './run-batch.js';
import type { LoadContext } from './types.js';

/** What {@link sendBatches} works with: the load's destination, its hook context and its accounting. */
export interface BatchPipeline {
  readonly destination: Destination;
  /** The hook context: the table, the load's signal and span (batch spans are its children). */
  readonly context: LoadContext;
  readonly payloads: PayloadLedger;
  readonly tally: LoadTally;
  /** Base of the batch keys: the ledger's run key, else the caller's idempotency key, else the destination identity. */
  readonly keyBase: string;
  readonly delivery: DeliveryState | undefined;
  readonly tracker: DeliveryTracker | undefined;
  /** `WriteOptions.onEvent`: told when a batch waits (retry, rate limit). */
  readonly onEvent?: WriteOptions['onEvent'];
}

/**
 * Hands `batches` to the destination, up to `maxParallelLoadJobs` at once, results folded into the tally in batch
 * order; with a ledger, batches an earlier attempt committed are skipped and each batch is recorded as intended
 * before it is sent and as committed once acknowledged. A failed batch (or ledger write) or an abort stops it
 * between batches; batches in flight finish. Returns every batch key, in batch order.
 *
 * A failure of the source is folded into the tally too — unless nothing was sent yet: then the destination is
 * rolled back and the error thrown.
 */
export async function sendBatches(pipeline: BatchPipeline, batches: AsyncIterable<RecordBatch>): Promise<string[]> {
  const { destination, context, payloads, tally, tracker } = pipeline;
  const runner: BatchRunner = {
    destination,
    table: context.table,
    signal: context.signal,
    parent: context.span,
    addPayload: (i, chunk) => payloads.add(i, chunk),
    ...(pipeline.onEvent !== undefined && { onEvent: pipeline.onEvent }),
    ...(context.sync !== undefined && { sync: context.sync }),
  };
  const inFlight = new Set<Promise<void>>();
  const batchKeys: string[] = [];
  let stop = false;
  let sent = false;
  let rows = 0;

  const settle = (result: BatchResult): void => {
    payloads.complete(result.job.index);
    if (!result.ok) stop = true;
    tally.accept(result);
  };
  const start = (job: BatchJob): void => {
    const running: Promise<void> = runBatch(runner, job)
      .then(async (result) => {
        settle(result);
        if (tracker === undefined || !result.ok) return;
        try {
          // A sync run's handled rows go with the commit mark to a state store; a destination ledger
          // (`inTransaction`) records them in the batch's own transaction.
          const sync = context.sync !== undefined && !tracker.inTransaction;
          await tracker.committed(jobLedgerBatch(result.job), jobCommittedCounts(result.job, result.outcome, { sync }));
        } catch (error) {
          stop = true;
          tally.fail(error, result.job.index);
        }
      })
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
  };

  try {
    for await (const batch of batches) {
      // Work on the batch that needs no I/O — its digest, the destination's `prepare` — is done now, while the
      // batches in flight are still being written, so it overlaps their I/O instead of adding to it.
      const digest = digestBatch(batch);
      const committedEarlier = pipeline.delivery?.state.committed.has(batchKeys.length) === true;
      const prepared = committedEarlier ? undefined : prepare(destination, batch, context);
      while (inFlight.size >= destination.maxParallelLoadJobs && !stop) await Promise.race(inFlight);
      if (stop || context.signal.aborted) break;
      const index = batchKeys.length;
      const idempotencyKey = batchIdempotencyKey(pipeline.keyBase, index, digest);
      batchKeys.push(idempotencyKey);
      const firstRow = rows;
      rows += batch.numRows;
      const decision = tracker?.decide({ batchIndex: index, firstRow, rowCount: batch.numRows, idempotencyKey });
      if (decision?.skip === true) {
        // Committed by an earlier attempt of the run: read, not sent, not counted.
        payloads.complete(index);
        tally.skip({
          job: { index, firstRow, batch },
          rejectedEarlier: pipeline.delivery?.state.rejected?.get(index) ?? [],
        });
        await destination.hooks.skip?.(batch, context);
        continue;
      }
      const rejectedEarlier = pipeline.delivery?.state.rejected?.get(index);
      const job: BatchJob = {
        index,
        firstRow,
        batch,
        idempotencyKey,
        ...(decision !== undefined && tracker?.inTransaction === true && { ledger: decision.entry }),
        ...(prepared !== undefined && { prepared }),
        ...(rejectedEarlier !== undefined && { rejectedEarlier }),
      };
      await tracker?.intended(jobLedgerBatch(job));
      sent = true;
      start(job);
    }
  } catch (error) {
    await Promise.all(inFlight);
    if (!sent) {
      await destination.hooks.rollback?.(context, error);
      throw error;
    }
    tally.fail(error, batchKeys.length);
  }
  await Promise.all(inFlight);
  return batchKeys;
}

/** The destination's `prepare` for the batch; a failing one leaves the batch unprepared (the function meets the problem itself). */
function prepare(destination: Destination, batch: RecordBatch, context: LoadContext): unknown {
  try {
    return destination.hooks.prepare?.(batch, context);
  } catch {
    return undefined;
  }
}
