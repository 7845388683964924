import { IngestionError } from '../../errors/ingestion-error.js';

/**
 * Record ids a receipt keeps by default. A destination may return one id per row (the SQL sink returns
 * every primary key): kept without a cap, a 10-million-row load would hold 10 million strings (~400 MB)
 * until it ends. Stream them with `onRecordIds` instead.
 */
export const DEFAULT_MAX_RECORD_IDS_IN_RECEIPT = 10_000;

/** The batch whose record ids {@link RecordIdOptions.onRecordIds} receives. */
export interface RecordIdsBatch {
  /** 0-based index of the batch within the write. */
  readonly batchIndex: number;
  /** Position in the source data of the batch's first row. */
  readonly firstRow: number;
  /** Rows in the batch (delivered, rejected and handled earlier). */
  readonly rowCount: number;
}

/** How a load keeps the record ids destinations return (see `LoadOptions` and `DltWriteOptions`). */
export interface RecordIdOptions {
  /**
   * At most this many record ids go into the receipt's `destinationRecordIds`: the first ones, in batch
   * order. Default {@link DEFAULT_MAX_RECORD_IDS_IN_RECEIPT} (10,000), so memory does not grow with the
   * rows delivered; `Infinity` keeps every id (memory then grows with rows), `0` none. When ids were left
   * out, the load span says so (`sink.record_ids.truncated`, `sink.record_ids.total`) — to keep every id,
   * use `onRecordIds`.
   */
  readonly maxRecordIdsInReceipt?: number;
  /**
   * Gets every acknowledged batch's record ids — all of them, whatever `maxRecordIdsInReceipt` — in batch
   * order, after that batch's `onRejected` and before its `onProgress`; batches whose destination returned
   * no id are not reported. Write them out (e.g. to a file) rather than keep them: that is what the cap is for.
   * A throwing callback does not stop the load. Ids of batches a transactional rollback later undoes
   * (`RollbackOutcome.discarded: 'all'`) were reported all the same: the receipt's `rowsDelivered` says 0 then.
   */
  readonly onRecordIds?: (ids: readonly string[], batch: RecordIdsBatch) => void;
}

/** Span attribute: record ids the destinations returned in this load (kept in the receipt or not). */
export const ATTR_SINK_RECORD_IDS_TOTAL = 'sink.record_ids.total';
/** Span attribute: true when the receipt holds fewer record ids than the destinations returned. */
export const ATTR_SINK_RECORD_IDS_TRUNCATED = 'sink.record_ids.truncated';

/** The cap of a load: validated `maxRecordIdsInReceipt`, or the default. */
export function recordIdCap(options: RecordIdOptions, context: { sinkType: string; destination: string }): number {
  const cap = options.maxRecordIdsInReceipt ?? DEFAULT_MAX_RECORD_IDS_IN_RECEIPT;
  if (cap === Infinity || (Number.isSafeInteger(cap) && cap >= 0)) return cap;
  throw new IngestionError(`maxRecordIdsInReceipt must be a whole number ≥ 0 or Infinity, got ${String(cap)}`, {
    category: 'CONFIGURATION',
    code: 'SINK_CONFIGURATION',
    ...context,
  });
}

/** The record ids a receipt keeps: the first `cap` ones, and a count of all. */
export class RecordIdList {
  /** The kept ids, in batch order. */
  readonly ids: string[] = [];
  /** Every id added (kept or not). */
  total = 0;

  constructor(private readonly cap: number) {}

  add(ids: readonly string[]): void {
    this.total += ids.length;
    const keep = Math.min(ids.length, this.cap - this.ids.length);
    for (let i = 0; i < keep; i++) this.ids.push(ids[i] as string); // no spread: a batch may hold 100k ids
  }

  /** True when ids were left out. */
  get truncated(): boolean {
    return this.total > this.ids.length;
  }

  /** Forgets every id (a transactional rollback undid the deliveries). */
  clear(): void {
    this.ids.length = 0;
    this.total = 0;
  }
}
