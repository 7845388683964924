import type { RecordBatch, Table } from 'apache-arrow';
import type { DeliveryState } from './delivery/delivery-ledger.js';
import type { EgressRecordError, EgressResult } from './egress-result.js';
import type { SinkConfig } from './sink-config.js';
import type { SyncWrite } from './sync/sync-write.js';

const SINK_CONNECTOR = Symbol.for('floe.sink-connector');

/** The four methods every {@link SinkConnector} implements, in contract order. */
export const SINK_CONNECTOR_METHODS = Object.freeze([
  'listAvailableSinks',
  'createSink',
  'write',
  'getSourceConfig',
] as const);

/** Data a sink can write: a whole Arrow table, or a stream of record batches. */
export type EgressData = Table | AsyncIterable<RecordBatch> | Iterable<RecordBatch>;

/** Progress reported after each acknowledged batch. */
export interface WriteProgress {
  readonly rowsDelivered: number;
  readonly rowsRejected: number;
  readonly batchesCompleted: number;
  readonly bytesTransmitted: number;
}

/**
 * Something a write waits on, told as it happens (see {@link WriteOptions.onEvent}): a failed attempt about to be
 * retried after `delayMs` (a rate limit's `Retry-After` included), so a caller can show why nothing moves.
 */
export interface WriteRetryEvent {
  /** `retry`: attempt `attempt` of batch `batchIndex` failed transiently; the next one starts in `delayMs`. */
  readonly kind: 'retry';
  /** 0-based index of the batch within the write. */
  readonly batchIndex: number;
  /** The attempt that failed (1 = the first). */
  readonly attempt: number;
  /** How long the connector waits before the next attempt (a destination's `Retry-After` when longer). */
  readonly delayMs: number;
  /** Why the attempt failed (no secret: the connector's own error message). */
  readonly reason: string;
}

/**
 * A batch the destination refused is being narrowed down to the rows it refuses (see {@link WriteOptions.onEvent}):
 * told when isolation starts (`rowsChecked` 0), as it goes (a connector's own pace, e.g. every 1,000 rows or every
 * second) and when every row was checked — so a caller can show why a batch takes longer than the others.
 */
export interface WriteIsolatingEvent {
  readonly kind: 'isolating';
  /** 0-based index of the batch within the write. */
  readonly batchIndex: number;
  /** Rows of the batch tried one by one so far (≤ `rowsTotal`). */
  readonly rowsChecked: number;
  /** Rows being isolated (the batch's rows the destination is asked to take). */
  readonly rowsTotal: number;
  /** Of the rows checked, those the destination refused. */
  readonly rejectedSoFar: number;
}

/** What a write tells as it happens, besides progress: a retry ({@link WriteRetryEvent}) or isolation ({@link WriteIsolatingEvent}). */
export type WriteEvent = WriteRetryEvent | WriteIsolatingEvent;

/**
 * The rows of one batch the destination rejected, with the batch they came from
 * (see {@link WriteOptions.onRejected}).
 */
export interface RejectedRows {
  /** 0-based index of the batch within the write. */
  readonly batchIndex: number;
  /** Position in the source data of the batch's first row. */
  readonly firstRow: number;
  /**
   * The batch's rows as read from the source (source column names, before field mapping): the
   * source row `r` is row `r - firstRow` of this batch.
   */
  readonly batch: RecordBatch;
  /** The receipt's errors for the rejected rows of this batch (each names its `row`), in row order. */
  readonly errors: readonly EgressRecordError[];
}

/** Options of {@link SinkConnector.write}. */
export interface WriteOptions {
  /** Stops the write between batches; rows already acknowledged are reported. */
  readonly signal?: AbortSignal;
  /** Overrides the derived idempotency key (e.g. to resume a run with its original key). */
  readonly idempotencyKey?: string;
  /** Called after each acknowledged batch. */
  readonly onProgress?: (progress: WriteProgress) => void;
  /**
   * Called, in batch order and before that batch's `onProgress`, for each acknowledged batch in
   * which the destination rejected rows — so the caller can keep each rejected row's values (e.g.
   * in a rejected-rows file) without holding every batch. A connector that cannot tell may never
   * call it: the receipt's errors stay the reference.
   */
  readonly onRejected?: (rejected: RejectedRows) => void;
  /**
   * Called when the write waits on something (a retry after a transient failure or a rate limit) or isolates the
   * rows of a refused batch: progress can show it instead of silence. Optional for connectors (one that cannot
   * tell never calls it); a callback that throws is ignored. Callers switch on `event.kind` (more kinds may come).
   */
  readonly onEvent?: (event: WriteEvent) => void;
  /**
   * The run this write belongs to, begun in a delivery ledger (resume, exactly once). Only a connector that
   * declares the delivery capability ({@link isResumableSinkConnector}) reads it; any other connector ignores
   * it and its deliveries are at-least-once.
   */
  readonly delivery?: DeliveryState;
  /**
   * The batches are changes (a sync run): each row carries `SYNC_COLUMNS` saying what to do with it. Only a
   * connector whose descriptor declares `capabilities.syncModes` is given it (see {@link SyncWrite}).
   */
  readonly sync?: SyncWrite;
}

/** A configured destination returned by {@link SinkConnector.createSink}. */
export interface Sink {
  /** The sink type it was created for, e.g. `rest_api`. */
  readonly sinkType: string;
  /** The destination's name (from floe.yaml), used in spans, errors and receipts. */
  readonly name: string;
  /** Releases connections and pools. Idempotent. */
  close(): Promise<void>;
}

/** Where the lakehouse catalog is, as configured in the platform manifest. */
export type CatalogConfig = Readonly<Record<string, unknown>>;

/** What a reader needs to read the Gold layer; `kind` tells which catalog (e.g. `rest`, `local`). */
export interface SourceConfig {
  readonly kind: string;
}

/**
 * The egress capability: push Arrow data to external destinations. Push-only (FR-016).
 *
 * Implement it by extending this class, or — when your plugin already extends another base such as
 * `IngestionPlugin` — with `implements SinkConnector`. Either way `x instanceof SinkConnector` and
 * {@link isSinkConnector} detect it at run time. It requires neither `PluginMetadata` nor `IngestionPlugin`.
 *
 * @example
 * ```ts
 * class ConsoleConnector extends SinkConnector<ConsoleSink> {
 *   listAvailableSinks() { return ['console']; }
 *   async createSink(config: SinkConfig) { return new ConsoleSink(config.name); }
 *   async write(sink: ConsoleSink, data: EgressData, options?: WriteOptions) { ... return new EgressResult({...}); }
 *   getSourceConfig(catalog: CatalogConfig) { return { kind: 'local', warehouse: String(catalog.warehouse) }; }
 * }
 * ```
 */
export abstract class SinkConnector<TSink extends Sink = Sink> {
  constructor() {
    assertSinkConnector(this, new.target.name);
    Object.defineProperty(this, SINK_CONNECTOR, { value: true });
  }

  /** The sink types this connector can create, e.g. `['rest_api', 'sql_database']`. */
  abstract listAvailableSinks(): readonly string[];

  /** Validates `config` against the sink type's own schema and returns a ready destination. No I/O happens before validation passes. */
  abstract createSink(config: SinkConfig): Promise<TSink>;

  /** Delivers `data` to `sink` and returns the receipt. */
  abstract write(sink: TSink, data: EgressData, options?: WriteOptions): Promise<EgressResult>;

  /** What a reader needs to read the Iceberg Gold layer through the given catalog (inverse of `getDestinationConfig`). */
  abstract getSourceConfig(catalogConfig: CatalogConfig): SourceConfig;

  /** `x instanceof SinkConnector` is true for any object implementing the four methods. */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this === SinkConnector) return isSinkConnector(value);
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** The contract methods `value` lacks (empty when it implements all four). */
export function missingSinkConnectorMethods(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [...SINK_CONNECTOR_METHODS];
  const record = value as Record<string, unknown>;
  return SINK_CONNECTOR_METHODS.filter((method) => typeof record[method] !== 'function');
}

/**
 * Runtime capability detection: does `value` support egress?
 *
 * @example
 * ```ts
 * const plugin = await registry.get('ingestion', 'dlt');
 * if (isSinkConnector(plugin)) await plugin.write(sink, table);
 * ```
 */
export function isSinkConnector(value: unknown): value is SinkConnector {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as Record<symbol, unknown>)[SINK_CONNECTOR] === true) return true;
  return missingSinkConnectorMethods(value).length === 0;
}

/** Throws a `TypeError` naming the contract methods `value` lacks. */
export function assertSinkConnector(value: unknown, label = 'value'): asserts value is SinkConnector {
  const missing = missingSinkConnectorMethods(value);
  if (missing.length > 0) {
    throw new TypeError(`${label} does not implement SinkConnector: missing ${missing.join(', ')}`);
  }
}
