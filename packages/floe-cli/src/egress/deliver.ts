import { context as otelContext, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type {
  DeliveryState,
  EgressData,
  EgressResult,
  RejectedRows,
  Sink,
  SyncChangeCounts,
  WriteEvent,
  WriteProgress,
} from '@floe/core';
import type { AttemptStatus, DeliverySummary } from '@floe/delivery';
import { ExitCode, exitCodeForCategory } from '../exit-code.js';
import { describeError, errorCategory } from './describe-error.js';
import type { EgressEngine } from './engine.js';
import type { PreparedDestination } from './prepare-destination.js';
import type { PreparedSync } from '../sync/prepared-sync.js';
import { sourceData } from './source-data.js';
import { readSource } from './source-read-error.js';
import { nothingSent, unsentWriteReceipt } from './unsent-write-receipt.js';

/** How one destination's delivery ended. */
export type DeliveryStatus = AttemptStatus;

/** The outcome of {@link deliver}: the plugin's receipt when it returned one, or the error it threw. */
export interface DeliveryOutcome {
  readonly status: DeliveryStatus;
  readonly exitCode: number;
  readonly receipt: EgressResult | undefined;
  readonly error: unknown;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** The rejected-rows file, when rows were rejected (see `RejectTracking`). */
  readonly rejected?: { readonly file: string; readonly rows: number; readonly error?: string };
  /** Why `--max-rejected` stopped the destination, when it did. */
  readonly stopped?: { readonly reason: string; readonly maxRejected: string; readonly allowed: number };
  /** The delivery run this attempt belongs to, when runs are recorded in a ledger (see `deliverResumable`). */
  readonly delivery?: DeliverySummary;
  /** `exactly-once` when delivered through a ledger by a resumable, idempotent sink; else `at-least-once`. */
  readonly guarantee?: DeliveryGuarantee;
  /** A sync run: what its diff found (path, inserts, updates, deletes, unchanged) and how many rows it refused. */
  readonly sync?: SyncOutcome;
}

/** What a receipt says about a sync run. */
export interface SyncOutcome extends SyncChangeCounts {
  readonly mode: string;
  /** Source rows the diff refused before sending (null or duplicate primary key), listed in the rejected-rows file. */
  readonly refused: number;
  /** Storage bytes the diff read, when known. */
  readonly bytesRead?: number;
}

/** What a delivery promises about duplicates after a fault. */
export type DeliveryGuarantee = 'exactly-once' | 'at-least-once';

/** What {@link deliver} needs. */
export interface DeliverOptions {
  readonly engine: EgressEngine;
  readonly signal: AbortSignal;
  readonly tracer: Tracer;
  readonly onProgress: (progress: WriteProgress) => void;
  /** Gets each batch whose rows were rejected, with those rows (`WriteOptions.onRejected`). */
  readonly onRejected?: (rejected: RejectedRows) => void;
  /** Told when the write waits: a retry, a rate limit (`WriteOptions.onEvent`). */
  readonly onEvent?: (event: WriteEvent) => void;
  /** Stops the write by policy (`--max-rejected`): the delivery then fails (exit 1), it is not interrupted. */
  readonly stop?: AbortSignal;
  readonly now: () => Date;
  /** Deliver through a ledger: skip committed batches, re-send intended ones (see `deliverResumable`). */
  readonly delivery?: DeliveryState;
  /** A sync run: write its change rows (and `WriteOptions.sync`) instead of every source row. */
  readonly sync?: PreparedSync;
}

/**
 * Streams a prepared destination's source batches into its sink inside a `floe.egress.destination`
 * span (the plugin's batch spans become its children) and returns the outcome. Never throws: a
 * thrown write error becomes a `failed` (or `interrupted`) outcome — with a receipt of its own when nothing was
 * sent (see {@link unsentWriteReceipt}). A failure to read the source is a `SourceReadError` naming the table.
 */
export async function deliver(
  prepared: PreparedDestination,
  sink: Sink,
  options: DeliverOptions,
): Promise<DeliveryOutcome> {
  const { planned, source } = prepared;
  const startedAt = options.now();
  const span = options.tracer.startSpan('floe.egress.destination', {
    attributes: {
      'floe.destination': planned.name,
      'sink.destination': planned.name,
      'sink.type': planned.sinkType,
      'floe.source.table': planned.sourceTable,
      'floe.source.rows': prepared.rows,
      ...(source.snapshotId !== undefined && { 'floe.source.snapshot_id': source.snapshotId }),
      'floe.write_disposition': planned.disposition,
    },
  });
  let receipt: EgressResult | undefined;
  let error: unknown;
  let progress: WriteProgress | undefined;
  try {
    receipt = await otelContext.with(trace.setSpan(otelContext.active(), span), async () =>
      options.engine.write(sink, await writeData(prepared, options), {
        signal: options.stop === undefined ? options.signal : AbortSignal.any([options.signal, options.stop]),
        onProgress: (last) => {
          progress = last;
          options.onProgress(last);
        },
        ...(options.onRejected !== undefined && { onRejected: options.onRejected }),
        ...(options.onEvent !== undefined && { onEvent: options.onEvent }),
        ...(options.delivery !== undefined && { delivery: options.delivery }),
        ...(options.sync?.write !== undefined && { sync: options.sync.write }),
      }),
    );
  } catch (thrown) {
    error = thrown;
  }
  // A write that threw before sending anything gets a receipt like any failed delivery (the error is its error);
  // one that threw after sending keeps none: its checksum is unknown, and a receipt must not invent one.
  const writeError = error;
  if (error !== undefined && !options.signal.aborted && nothingSent(progress)) {
    const runKey = options.delivery?.state.run.runKey;
    receipt = unsentWriteReceipt(error, { prepared, startedAt, finishedAt: options.now(), runKey });
    error = undefined;
  }
  // Stopped by policy: a failure even when the connector had nothing left to send when it was told to stop.
  const stopped = options.stop?.aborted === true && !options.signal.aborted && receipt?.status !== 'delivered';
  const status = stopped ? 'failed' : statusOf(receipt, options.signal);
  span.setAttributes({
    'sink.status': status,
    'sink.rows_written': receipt?.rowsDelivered ?? 0,
    'sink.rows_rejected': receipt?.rowsRejected ?? 0,
  });
  if (status === 'delivered') span.setStatus({ code: SpanStatusCode.OK });
  else
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: writeError !== undefined ? describeError(writeError) : status,
    });
  span.end();
  const exitCode = stopped ? ExitCode.FAILED : exitCodeOf(status, receipt, error);
  return { status, exitCode, receipt, error, startedAt, finishedAt: options.now() };
}

/** What the sink is given: a sync run's change rows, else every row of the pinned snapshot. */
function writeData(prepared: PreparedDestination, options: DeliverOptions): Promise<EgressData> {
  const { sync } = options;
  const table = prepared.planned.sourceTable;
  if (sync !== undefined) return sourceData(readSource(sync.data(options.signal), table, options.signal), sync.schema);
  const batches = prepared.source.batches({ signal: options.signal });
  return sourceData(readSource(batches, table, options.signal), prepared.source.schema);
}

function statusOf(receipt: EgressResult | undefined, signal: AbortSignal): DeliveryStatus {
  if (receipt?.status === 'delivered') return 'delivered';
  if (signal.aborted) return 'interrupted';
  return receipt?.status ?? 'failed';
}

/**
 * delivered → 0; partial (rows rejected) → 2; interrupted → 130; failed → 3 when every error is a
 * configuration error (wrong URL, unknown table), else 1.
 */
export function exitCodeOf(status: DeliveryStatus, receipt: EgressResult | undefined, error: unknown): number {
  if (status === 'delivered') return ExitCode.OK;
  if (status === 'partial') return ExitCode.PARTIAL;
  if (status === 'interrupted') return ExitCode.INTERRUPTED;
  const categories = error !== undefined ? [errorCategory(error)] : (receipt?.errors ?? []).map((e) => e.category);
  // Every error a configuration error → 3; any other (or none known) → 1.
  const codes = categories.map((category) => exitCodeForCategory(category, ExitCode.FAILED));
  return codes.length > 0 && codes.every((code) => code === ExitCode.CONFIGURATION)
    ? ExitCode.CONFIGURATION
    : ExitCode.FAILED;
}
