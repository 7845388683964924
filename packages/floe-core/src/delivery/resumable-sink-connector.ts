import { isSinkConnector, type Sink, type SinkConnector } from '../sink-connector.js';
import type { DeliveryLedger } from './delivery-ledger.js';

/** What a delivery run reads and how it writes, besides the sink (see {@link ResumableSinkConnector.describeDelivery}). */
export interface DeliveryRunParts {
  readonly sourceTable: string;
  /** The pinned source snapshot (decimal string), `null` for a table without snapshots. */
  readonly snapshotId: string | null;
  /** The write disposition (`append`, `merge`, `replace`). */
  readonly disposition: string;
}

/** How a sink delivers a run: what fixes its batches, and where it records them. */
export interface DeliveryDescription {
  /**
   * The destination's identity without credentials, e.g. `rest_api:POST https://api.example.com/contacts` or
   * `sql_database:postgres://db:5432/crm#crm.contacts`. Part of the run key: a run resumes only into the same
   * destination.
   */
  readonly identity: string;
  /** Rows per batch the sink really sends (0 = all rows in one batch). Batch `i` is rows `[i·n, (i+1)·n)`. */
  readonly batchSize: number;
  /**
   * A ledger the sink keeps inside the destination and writes in each batch's own transaction
   * (`inTransaction: true`, e.g. `_floe_ledger` in a SQL database), or `undefined` when the caller records
   * the batches in its state store.
   */
  readonly ledger?: DeliveryLedger;
  /**
   * Whether a batch re-sent after a fault cannot duplicate rows (an `Idempotency-Key` the API honours, an
   * upsert, a transactional ledger). `false` means a re-sent batch is at-least-once.
   */
  readonly idempotent: boolean;
}

/**
 * The delivery capability: a {@link SinkConnector} whose `write()` takes part in the delivery protocol — it
 * honours {@link WriteOptions.delivery} (skips committed batches, re-sends intended ones with their keys,
 * records intended / committed marks) so a run can be resumed after a crash and delivered exactly once.
 * A connector without it still runs, at least once.
 *
 * @example
 * ```ts
 * class JsonlConnector extends SinkConnector<JsonlSink> implements ResumableSinkConnector<JsonlSink> {
 *   describeDelivery(sink: JsonlSink) {
 *     return { identity: `jsonl:${sink.file}`, batchSize: sink.batchSize, idempotent: true };
 *   }
 *   // … the four SinkConnector methods; write() uses `new DeliveryTracker(options.delivery)` from @floe/delivery
 * }
 * ```
 */
export interface ResumableSinkConnector<TSink extends Sink = Sink> extends SinkConnector<TSink> {
  /** How `sink` delivers a run of `parts`: its identity, batch size, and the ledger it keeps, if any. No I/O. */
  describeDelivery(sink: TSink, parts: DeliveryRunParts): DeliveryDescription;
}

/**
 * Runtime capability detection: does `value` take part in the delivery protocol (resume, exactly once)?
 *
 * @example
 * ```ts
 * if (isResumableSinkConnector(plugin)) console.log(plugin.describeDelivery(sink, parts).identity);
 * ```
 */
export function isResumableSinkConnector(value: unknown): value is ResumableSinkConnector {
  return isSinkConnector(value) && typeof (value as { describeDelivery?: unknown }).describeDelivery === 'function';
}
