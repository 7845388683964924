import { context as otelContext, trace, type Context, type Span } from '@opentelemetry/api';
import type { RecordBatch } from 'apache-arrow';
import { batchToRows } from '../encoding/batch-to-rows.js';
import { IngestionError } from '../../errors/ingestion-error.js';
import {
  ATTR_SINK_BATCH_FIRST_ROW,
  ATTR_SINK_BATCH_INDEX,
  ATTR_SINK_BATCH_ROWS,
  ATTR_SINK_DESTINATION,
  ATTR_SINK_DURATION_MS,
  ATTR_SINK_ROWS_REJECTED,
  ATTR_SINK_ROWS_WRITTEN,
  ATTR_SINK_STATUS,
  ATTR_SINK_TYPE,
  SPAN_BATCH,
} from '../tracing/attributes.js';
import { getTracer, recordEgressError } from '../tracing/egress-span.js';
import type { LedgerEntry, RecordedReject, WriteOptions } from '@floe/core';
import type { Destination } from './destination.js';
import type { BatchContext, BatchOutcome, RejectedRecord, Row, TableSchema } from './types.js';

/** One batch to hand to the destination. */
export interface BatchJob {
  readonly index: number;
  readonly firstRow: number;
  readonly batch: RecordBatch;
  readonly idempotencyKey: string;
  /** The batch's ledger record, for destinations that write it in their own transaction. */
  readonly ledger?: LedgerEntry;
  /** What the destination's `prepare` hook returned for the batch. */
  readonly prepared?: unknown;
  /** Rows of the batch an earlier attempt of the run rejected (a partly written batch resumed), from the ledger. */
  readonly rejectedEarlier?: readonly RecordedReject[];
}

/** How a batch ended: its validated outcome, or the error it threw. */
export type BatchResult =
  | { readonly ok: true; readonly job: BatchJob; readonly outcome: ValidOutcome }
  | { readonly ok: false; readonly job: BatchJob; readonly error: unknown };

/** A destination's outcome, checked: rejected indexes in range and unique, ids as strings. */
export interface ValidOutcome {
  readonly recordIds: readonly string[];
  readonly rejected: readonly RejectedRecord[];
  /** Rows an earlier attempt delivered (see `BatchOutcome.handledEarlier`); 0 normally. */
  readonly handledEarlier: number;
  /** How many rows were handled without writing (see `BatchOutcome.skipped`); 0 normally. */
  readonly skipped: number;
  /** The destination's ids of rows, by position in the batch (see `BatchOutcome.destinationIds`). */
  readonly destinationIds?: ReadonlyMap<number, string>;
}

/** What `runBatch` needs besides the job. */
export interface BatchRunner {
  readonly destination: Destination;
  readonly table: TableSchema;
  readonly signal: AbortSignal;
  readonly parent: Span;
  readonly addPayload: (index: number, chunk: Uint8Array | string) => boolean;
  /** `WriteOptions.onEvent`. */
  readonly onEvent?: WriteOptions['onEvent'];
  /** `WriteOptions.sync`. */
  readonly sync?: WriteOptions['sync'];
}

/** Calls the destination function for one batch inside a `sink.batch` span; never throws. */
export async function runBatch(runner: BatchRunner, job: BatchJob): Promise<BatchResult> {
  const { destination } = runner;
  const parent: Context = trace.setSpan(otelContext.active(), runner.parent);
  const span = getTracer().startSpan(
    SPAN_BATCH,
    {
      attributes: {
        [ATTR_SINK_TYPE]: destination.sinkType,
        [ATTR_SINK_DESTINATION]: destination.name,
        [ATTR_SINK_BATCH_INDEX]: job.index,
        [ATTR_SINK_BATCH_ROWS]: job.batch.numRows,
        [ATTR_SINK_BATCH_FIRST_ROW]: job.firstRow,
      },
    },
    parent,
  );
  const started = performance.now();
  const context: BatchContext = {
    index: job.index,
    firstRow: job.firstRow,
    rowCount: job.batch.numRows,
    idempotencyKey: job.idempotencyKey,
    signal: runner.signal,
    span,
    addPayload: (chunk) => runner.addPayload(job.index, chunk),
    onWait: (wait) => {
      try {
        runner.onEvent?.({ kind: 'retry', batchIndex: job.index, ...wait });
      } catch {
        // a failing callback must not fail the batch
      }
    },
    onIsolating: (progress) => {
      try {
        runner.onEvent?.({ kind: 'isolating', batchIndex: job.index, ...progress });
      } catch {
        // a failing callback must not fail the batch
      }
    },
    ...(job.ledger !== undefined && { ledger: job.ledger }),
    ...(job.prepared !== undefined && { prepared: job.prepared }),
    ...(runner.sync !== undefined && { sync: runner.sync }),
  };
  try {
    const input = destination.loaderFileFormat === 'rows' ? batchToRows(job.batch, destination.rowsOptions) : job.batch;
    const fn = destination.fn as (batch: RecordBatch | Row[], table: TableSchema, context: BatchContext) => unknown;
    const outcome = validateOutcome(
      (await otelContext.with(trace.setSpan(parent, span), () =>
        fn(input, runner.table, context),
      )) as BatchOutcome | void,
      job,
      destination,
    );
    span.setAttributes({
      [ATTR_SINK_ROWS_WRITTEN]: job.batch.numRows - outcome.rejected.length - outcome.handledEarlier - outcome.skipped,
      [ATTR_SINK_ROWS_REJECTED]: outcome.rejected.length,
      [ATTR_SINK_STATUS]: outcome.rejected.length === 0 ? 'delivered' : 'partial',
    });
    return { ok: true, job, outcome };
  } catch (error) {
    span.setAttribute(ATTR_SINK_ROWS_WRITTEN, 0);
    recordEgressError(span, error);
    return { ok: false, job, error };
  } finally {
    span.setAttribute(ATTR_SINK_DURATION_MS, performance.now() - started);
    span.end();
  }
}

function validateOutcome(outcome: BatchOutcome | void, job: BatchJob, destination: Destination): ValidOutcome {
  if (outcome === undefined || outcome === null) return { recordIds: [], rejected: [], handledEarlier: 0, skipped: 0 };
  const invalid = (message: string): IngestionError =>
    new IngestionError(`destination returned an invalid outcome for batch ${job.index}: ${message}`, {
      sinkType: destination.sinkType,
      destination: destination.name,
      code: 'INVALID_BATCH_OUTCOME',
    });
  if (typeof outcome !== 'object') throw invalid('expected an object { recordIds?, rejected? }');
  const seen = new Set<number>();
  const rejected = [...(outcome.rejected ?? [])].sort((a, b) => a.index - b.index);
  for (const record of rejected) {
    if (!Number.isInteger(record.index) || record.index < 0 || record.index >= job.batch.numRows) {
      throw invalid(`rejected index ${String(record.index)} is outside 0..${job.batch.numRows - 1}`);
    }
    if (seen.has(record.index)) throw invalid(`row ${record.index} is rejected twice`);
    seen.add(record.index);
  }
  const recordIds = asStrings(outcome.recordIds ?? []);
  const handledEarlier = outcome.handledEarlier ?? 0;
  if (!Number.isInteger(handledEarlier) || handledEarlier < 0 || handledEarlier + rejected.length > job.batch.numRows) {
    throw invalid(`handledEarlier ${String(handledEarlier)} is outside 0..${job.batch.numRows - rejected.length}`);
  }
  // A count (a set-based SQL update knows how many rows it matched, not which) or the rows' positions.
  const given = outcome.skipped ?? 0;
  const left = job.batch.numRows - rejected.length - handledEarlier;
  if (typeof given === 'number' && (!Number.isInteger(given) || given < 0 || given > left)) {
    throw invalid(`skipped ${String(given)} is outside 0..${left}`);
  }
  const positions = typeof given === 'number' ? [] : [...given].sort((a, b) => a - b);
  for (const index of positions) {
    if (!Number.isInteger(index) || index < 0 || index >= job.batch.numRows) {
      throw invalid(`skipped index ${String(index)} is outside 0..${job.batch.numRows - 1}`);
    }
    if (seen.has(index)) throw invalid(`row ${index} is skipped twice, or both skipped and rejected`);
    seen.add(index);
  }
  if (handledEarlier + seen.size > job.batch.numRows) {
    throw invalid(`handledEarlier ${handledEarlier} + rejected and skipped rows exceed the batch's rows`);
  }
  return {
    recordIds,
    rejected,
    handledEarlier,
    skipped: typeof given === 'number' ? given : positions.length,
    ...(outcome.destinationIds !== undefined && { destinationIds: outcome.destinationIds }),
  };
}

/** The ids as strings: the destination's own array when every id already is one (a batch may hold 100k ids). */
function asStrings(ids: readonly unknown[]): readonly string[] {
  for (let i = 0; i < ids.length; i++) if (typeof ids[i] !== 'string') return ids.map((id) => String(id));
  return ids as readonly string[];
}
