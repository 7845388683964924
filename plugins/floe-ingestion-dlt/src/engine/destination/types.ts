import type { Span } from '@opentelemetry/api';
import type { DataType, RecordBatch, Schema } from 'apache-arrow';
import type { ErrorCategory } from '@floe/core';
import type { RowsOptions } from '../encoding/encoding-options.js';
import type { DeliveryLedger, LedgerEntry, SyncWrite } from '@floe/core';

/** One column of the table a destination receives, after field mapping and naming. */
export interface ColumnSchema {
  /** The name the destination sees (mapped, then normalised by the naming convention). */
  readonly name: string;
  /** The column's name in the source data. */
  readonly sourceName: string;
  /** The Arrow type of the values. */
  readonly type: DataType;
  readonly nullable: boolean;
  /** True when the column is part of the destination's primary key. */
  readonly primaryKey: boolean;
}

/**
 * The table schema handed to a destination function with every batch (dlt's `TTableSchema`).
 */
export interface TableSchema {
  /** The destination's table or resource name. */
  readonly name: string;
  readonly columns: readonly ColumnSchema[];
  /** Destination-side names of the primary-key columns, in key order (may be empty). */
  readonly primaryKey: readonly string[];
  /** The Arrow schema of the batches the function receives (destination-side names). */
  readonly arrowSchema: Schema;
}

/** A row the destination refused, reported by a destination function. */
export interface RejectedRecord {
  /** 0-based position of the row within the batch. */
  readonly index: number;
  /** Why it was refused (no secrets). */
  readonly message: string;
  /** Default PERMANENT. */
  readonly category?: ErrorCategory;
  /** The row's key as the destination knows it, when known. */
  readonly key?: string;
  readonly httpStatus?: number;
}

/** What a destination function may return for one batch. Returning nothing means: all rows accepted. */
export interface BatchOutcome {
  /** Ids the destination assigned or acknowledged, one per accepted row, in row order. */
  readonly recordIds?: readonly string[];
  /** Rows refused permanently; every other row counts as delivered. */
  readonly rejected?: readonly RejectedRecord[];
  /**
   * Rows of this batch an earlier attempt already handled — delivered, or refused — and this call skipped (a
   * ledger-in-transaction destination resuming a batch it had written in parts, see `BatchContext.ledger.rowsDone`):
   * neither delivered nor rejected now.
   */
  readonly handledEarlier?: number;
  /**
   * A sync write (`BatchContext.sync`): rows handled without writing (an update or delete of a record the
   * destination no longer has), by position in the batch or as a count (a set-based statement knows how many rows
   * it matched, not which): neither delivered nor rejected, recorded in the sync state as handled.
   */
  readonly skipped?: number | readonly number[];
  /**
   * A sync write: the destination's id of each row whose record id it returned, by position in the batch (kept
   * in the sync state, so a later update or delete can address the record).
   */
  readonly destinationIds?: ReadonlyMap<number, string>;
}

/** How far the isolation of a batch's refused rows got (see {@link BatchContext.onIsolating}). */
export interface IsolationProgress {
  /** Rows tried one by one so far (≤ `rowsTotal`). */
  readonly rowsChecked: number;
  /** Rows being isolated. */
  readonly rowsTotal: number;
  /** Of the rows checked, those the destination refused. */
  readonly rejectedSoFar: number;
}

/** What the engine tells a destination function about the batch it is handling. */
export interface BatchContext {
  /** 0-based index of the batch within this load. */
  readonly index: number;
  /** 0-based position of the batch's first row in the source data. */
  readonly firstRow: number;
  readonly rowCount: number;
  /** Deterministic for the same destination and batch content; send it as the idempotency key. */
  readonly idempotencyKey: string;
  /** Aborts when the load is cancelled. */
  readonly signal: AbortSignal;
  /** Tell the caller the batch waits (a retry, a rate limit): `WriteOptions.onEvent`. Never throws. */
  readonly onWait?: (wait: { readonly attempt: number; readonly delayMs: number; readonly reason: string }) => void;
  /**
   * Tell the caller the batch's refused rows are being isolated, and how far it got (`WriteOptions.onEvent`, an
   * `isolating` event): at the start, as it goes and at the end. Never throws.
   */
  readonly onIsolating?: (progress: IsolationProgress) => void;
  /** The batch's span; add attributes, never secrets. */
  readonly span: Span;
  /**
   * Report payload bytes as they are sent: they are counted in `bytesTransmitted` and hashed, in
   * batch order, into the receipt's `checksum`. Report only bytes the destination accepted; a
   * retried request is reported once. Returns `true` when the bytes were hashed before it returned: the
   * destination may then reuse the chunk's memory; otherwise (a batch finishing before an earlier one) the
   * bytes are kept by reference and the chunk must stay as it is.
   */
  addPayload(chunk: Uint8Array | string): boolean | void;
  /**
   * Set when the load runs with a delivery ledger whose records the destination writes itself
   * (`Destination.ledger.inTransaction`): write this batch record in the same transaction as the rows.
   */
  readonly ledger?: LedgerEntry;
  /** What `DestinationHooks.prepare` returned for this batch (absent without the hook, or when it threw). */
  readonly prepared?: unknown;
  /** The write is a sync (`WriteOptions.sync`): the batch is change rows with bookkeeping columns. */
  readonly sync?: SyncWrite;
}

/** What the engine tells lifecycle hooks. */
export interface LoadContext {
  readonly table: TableSchema;
  readonly signal: AbortSignal;
  readonly span: Span;
  /**
   * The load carries changes (`WriteOptions.sync`): each batch has the bookkeeping columns (`_floe_*`, kept under
   * their names in the batches, left out of `table.columns`) saying what to do with each row.
   */
  readonly sync?: SyncWrite;
}

/**
 * Optional lifecycle of a destination, used by sinks that need set-up and a final step
 * (create the table; swap a replaced table in atomically; release pools).
 */
export interface DestinationHooks {
  /** Before the first batch (also for empty input: nothing is sent, but the table may be prepared). */
  open?(context: LoadContext): Promise<void>;
  /**
   * A batch an earlier attempt of the run committed: read again (batch `i` stays rows `[i·batchSize, …)`) but
   * not sent. Lets the destination keep per-load state as if it had sent it (e.g. the keys a merge has seen).
   */
  skip?(batch: RecordBatch, context: LoadContext): void | Promise<void>;
  /**
   * Synchronous work on a batch that needs no I/O (checking rows, reading keys), done as soon as the batch is
   * read — in batch order, while the batches before it are still being written — so that it overlaps their
   * I/O. Its result reaches the function as `context.prepared`. Not called for batches an earlier attempt
   * committed; a batch the load stops before sending is prepared and dropped. If it throws, the function gets
   * the batch unprepared.
   */
  prepare?(batch: RecordBatch, context: LoadContext): unknown;
  /** After every batch was handled: make the load visible (e.g. swap a `replace` staging table). */
  commit?(context: LoadContext): Promise<void>;
  /**
   * After a failure or abort: discard what is not committed. Must not throw. A transactional destination
   * whose rollback undoes every batch of the load returns `{ discarded: 'all' }`, and the receipt then
   * reports no row delivered; returning nothing means acknowledged batches stay delivered (e.g. HTTP).
   */
  rollback?(context: LoadContext, error: unknown): Promise<void | RollbackOutcome>;
  /** Releases connections. Idempotent. */
  close?(): Promise<void>;
}

/** What a rollback did: `all` = every batch of this load was undone; `none` = acknowledged batches stay. */
export interface RollbackOutcome {
  readonly discarded: 'all' | 'none';
}

/** How the destination receives batches (dlt's `loader_file_format`). */
export type LoaderFileFormat = 'arrow' | 'rows';

/** How column names are normalised before they reach the destination. */
export type NamingConvention = 'direct' | 'snake_case';

/** Options of {@link destination}, mirroring dlt's `@dlt.destination`. */
export interface DestinationOptions {
  /** The destination's name, used in spans, errors and receipts. Default `destination`. */
  readonly name?: string;
  /** Rows per call of the function; default 10 as in dlt; 0 = the whole table in one call. */
  readonly batchSize?: number;
  /** Default `direct` (names as they are). */
  readonly namingConvention?: NamingConvention;
  /** Batches in flight at once; default 1 (in order). */
  readonly maxParallelLoadJobs?: number;
  /** `arrow` (default): the function gets a `RecordBatch`; `rows`: plain row objects. */
  readonly loaderFileFormat?: LoaderFileFormat;
  /** The destination table's name, default the destination name. */
  readonly tableName?: string;
  /** Destination-side primary key column names. */
  readonly primaryKey?: readonly string[];
  /** Stable identity of the target (sink type + URL or table), part of every idempotency key. No secrets. */
  readonly identity?: string;
  /** The sink type reported in spans and errors; default `destination`. */
  readonly sinkType?: string;
  readonly hooks?: DestinationHooks;
  /** How `rows`-format batches represent 64-bit integers (see `batchToRows`); default `bigint`. */
  readonly rowsOptions?: RowsOptions;
  /**
   * A ledger the destination keeps itself, its batch records written in each batch's transaction
   * (`inTransaction: true`; e.g. `_floe_ledger` in a SQL database). Callers resume from it instead of
   * a state store.
   */
  readonly ledger?: DeliveryLedger;
}

/** A row as handed to a `rows`-format destination: JSON-safe values (see the encoder for type rules). */
export type Row = Record<string, unknown>;

/** The batch a destination function receives, by loader file format. */
export type BatchOf<F extends LoaderFileFormat> = F extends 'rows' ? Row[] : RecordBatch;

/** A destination function: called once per batch, awaited batch after batch. */
export type DestinationFunction<F extends LoaderFileFormat = 'arrow'> = (
  batch: BatchOf<F>,
  table: TableSchema,
  context: BatchContext,
) => Promise<BatchOutcome | void> | BatchOutcome | void;
