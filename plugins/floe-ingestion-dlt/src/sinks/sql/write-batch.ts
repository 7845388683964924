import { ErrorCategory, isSyncColumn } from '@floe/core';
import type { Data, RecordBatch } from 'apache-arrow';
import type { RecordedReject } from '@floe/core';
import type { BatchContext, BatchOutcome, RejectedRecord } from '../../engine/destination/types.js';
import { categorizeError } from '../../errors/index.js';
import type { RetryPolicy } from '../../engine/retry/index.js';
import { columnKind } from './column-kind.js';
import { CommitUnknownError } from './dialects/commit-unknown-error.js';
import type { IsolatedStatements, RefusedRow, SqlDialect, SyncOps } from './dialects/sql-dialect.js';
import { findUnrepresentable, type NamedColumn } from './encode/unrepresentable.js';
import type { QualifiedName } from './identifiers.js';
import { driverError } from './internal/attempt-failure.js';
import { writeIsolatingRejects, type IsolatedReject } from './internal/isolate-rejects.js';
import { LedgerParts } from './internal/ledger-parts.js';
import { rowErrorMessage, isRowDataError } from './internal/row-errors.js';
import { checkKeys, keyReader, recordIdOf, type LoadKeys, type RowKey } from './internal/row-keys.js';
import { readBatchOps, softDeleteColumn, type BatchOps } from './internal/sync-rows.js';
import type { SqlDestinationLedger } from './sql-ledger.js';
import type { ChunkPool } from './encode/chunk-pool.js';

/** What one load writes with (set up by the `open` hook). */
export interface BatchWriter {
  readonly dialect: SqlDialect;
  readonly table: QualifiedName;
  readonly primaryKey: readonly string[];
  /** Merge: upsert on the primary key; keys seen so far in this load (later duplicates are refused). */
  readonly merge: LoadKeys | undefined;
  readonly policy: RetryPolicy;
  readonly secrets: readonly string[];
  /** Column name → type in the table written to. */
  readonly columnTypes: ReadonlyMap<string, string>;
  /** The delivery ledger kept in this database (append, merge): each transaction writes its batch record. */
  readonly ledger?: SqlDestinationLedger;
  /** COPY chunk buffers reused from batch to batch (PostgreSQL). */
  readonly chunkPool?: ChunkPool;
  /** A sync write (`WriteOptions.sync`): the batches are change rows, applied by their op. */
  readonly sync?: WriterSync;
}

/** How a load applies change rows (see `WriteOptions.sync`). */
export interface WriterSync {
  /** The record's identity (destination names; {@link BatchWriter.primaryKey} too); empty for append. */
  readonly key: readonly string[];
  /** Archive: the timestamp column a `delete` row sets instead of deleting. */
  readonly softDeleteColumn?: string;
}

function keyText(key: RowKey | null | undefined): string | undefined {
  return key === null || key === undefined ? undefined : recordIdOf(key);
}

/** The batch's columns with their destination-side names (a sync write: without the bookkeeping columns). */
function batchColumns(batch: RecordBatch, sync: WriterSync | undefined): NamedColumn[] {
  return batch.schema.fields.flatMap((field, index) => {
    if (sync !== undefined && isSyncColumn(field.name)) return [];
    const kind = columnKind(field.type);
    if (typeof kind === 'string') throw new TypeError(`column "${field.name}": ${kind}`);
    return [{ name: field.name, kind, data: batch.data.children[index] as Data }];
  });
}

/** Retry only transient failures, and never a COMMIT whose outcome is unknown. */
export function isRetryableSqlFailure(error: unknown): boolean {
  const cause = driverError(error);
  return !(cause instanceof CommitUnknownError) && categorizeError(cause) === ErrorCategory.TRANSIENT;
}

/** What is known about a batch before it is written: its columns, rows refused up front, keys, rows to write. */
interface ScreenedBatch {
  readonly columns: NamedColumn[];
  readonly refused: Map<number, string>;
  readonly readKey: ((index: number) => RowKey | null) | undefined;
  readonly keys: (RowKey | null)[];
  /** Keys this batch added to the merge load's `seen` set. */
  readonly added: RowKey[];
  /** Rows to write, in order. */
  readonly rows: Int32Array;
  /** A sync write: each row's op. */
  readonly ops?: BatchOps;
}

/** A batch screened ahead (see {@link prepareBatch}), with the record ids of its rows to write. */
class PreparedBatch {
  constructor(
    readonly batch: RecordBatch,
    readonly screened: ScreenedBatch,
    /** `recordIdOf` of every row in `screened.rows`, in order (absent without a primary key). */
    readonly recordIds: string[] | undefined,
  ) {}
}

/**
 * Screens a batch before its turn (the `prepare` hook: it runs while the batches before it are being written)
 * and reads the record ids of its rows, so that `writeBatch` starts its transaction at once and, when every row
 * lands, returns these ids as they are.
 */
export function prepareBatch(writer: BatchWriter, batch: RecordBatch): PreparedBatch {
  const screened = screenBatch(writer, batch);
  const { readKey, keys, rows } = screened;
  let recordIds: string[] | undefined;
  if (readKey !== undefined) {
    recordIds = new Array<string>(rows.length);
    for (let r = 0; r < rows.length; r++) recordIds[r] = recordIdOf(keys[rows[r] as number] as RowKey);
  }
  return new PreparedBatch(batch, screened, recordIds);
}

function screenBatch(writer: BatchWriter, batch: RecordBatch): ScreenedBatch {
  const { dialect, primaryKey, sync } = writer;
  const columns = batchColumns(batch, sync);
  const all = new Int32Array(batch.numRows);
  for (let i = 0; i < all.length; i++) all[i] = i;
  const ops = sync === undefined ? undefined : readBatchOps(batch, sync.key.length > 0);
  // Archive: the deletion time rides in the soft-delete column (null on every row but the deletes).
  if (ops !== undefined && sync?.softDeleteColumn !== undefined)
    columns.push(softDeleteColumn(sync.softDeleteColumn, ops.ops, new Date()));
  const refused = findUnrepresentable(columns, dialect.name, all);
  for (const [index, message] of ops?.refused ?? []) if (!refused.has(index)) refused.set(index, message);
  const keyColumns = primaryKey.map((name) => columns.find((column) => column.name === name) as NamedColumn);
  const readKey = keyColumns.length > 0 ? keyReader(keyColumns) : undefined;
  const keys: (RowKey | null)[] = readKey === undefined ? [] : Array.from(all, (index) => readKey(index));
  const added = readKey === undefined ? [] : checkKeys(all, keys, primaryKey, refused, writer.merge);
  const rows = refused.size === 0 ? all : all.filter((index) => !refused.has(index));
  return { columns, refused, readKey, keys, added, rows, ...(ops !== undefined && { ops }) };
}

/**
 * A batch an earlier attempt committed, read again and not written: a merge load still learns its keys,
 * so a later row with one of them is refused as it would have been in one uninterrupted load.
 */
export function skipBatch(writer: BatchWriter, batch: RecordBatch): void {
  if (writer.merge !== undefined && writer.primaryKey.length > 0) screenBatch(writer, batch);
}

/**
 * Writes one batch: refuses rows the dialect cannot store exactly and rows with a null (or, for merge, a
 * repeated) primary key; writes the others in one transaction retried on transient failures; when the
 * database refuses rows for their values, isolates them (see `writeIsolatingRejects`) so the good rows
 * land. With a delivery ledger (`context.ledger`), each transaction also writes the batch's record (see
 * `LedgerParts`) and a batch an earlier attempt left half-written resumes where it stopped. Returns the
 * accepted rows' keys (when there is a primary key) and the rejected rows with reasons.
 */
export async function writeBatch(
  writer: BatchWriter,
  batch: RecordBatch,
  context: BatchContext,
): Promise<BatchOutcome> {
  const { dialect, primaryKey } = writer;
  const prepared =
    context.prepared instanceof PreparedBatch && context.prepared.batch === batch ? context.prepared : undefined;
  const { columns, refused, readKey, keys, added, rows, ops } = prepared?.screened ?? screenBatch(writer, batch);
  const recorded = (index: number, message: string): RecordedReject => ({
    batchIndex: context.index,
    row: context.firstRow + index,
    ...(readKey && keyText(keys[index]) !== undefined && { key: keyText(keys[index]) }),
    reason: message,
    category: ErrorCategory.PERMANENT,
  });
  const { ledger: entry } = context;
  const destinationLedger = writer.ledger;
  const parts =
    entry !== undefined && destinationLedger !== undefined
      ? new LedgerParts(
          destinationLedger,
          entry,
          rows,
          [...refused].map(([index, message]) => recorded(index, message)),
          ops === undefined ? undefined : (handled) => destinationLedger.syncWork(entry, batch, handled),
        )
      : undefined;
  /** Update rows that found no record, over the parts written. */
  let skipped = 0;
  const pending = parts?.remaining ?? rows;
  const types = columns.map((column) => writer.columnTypes.get(column.name));
  const columnTypes = types.every((type) => type !== undefined) ? (types as string[]) : undefined;

  const message = (error: unknown): string => rowErrorMessage(error, writer.secrets);
  /**
   * One transaction writing `part` with its ledger record, retried on transient failures; `isolating`: the
   * dialect leaves the rows it refuses out (see `WriteRequest.isolate`) and they are returned.
   */
  const writePart = async (part: Int32Array, isolating: boolean): Promise<IsolatedReject[]> => {
    let refused: IsolatedReject[] = [];
    let partSkipped = 0;
    const statements = isolating ? undefined : await parts?.statements(part);
    const ledger = statements?.ledger;
    const ledgerRejects = statements?.rejects;
    const inTransaction = statements?.inTransaction;
    const syncOps: SyncOps | undefined =
      ops === undefined || writer.sync === undefined
        ? undefined
        : {
            ops: ops.ops,
            opColumn: ops.column,
            key: writer.sync.key,
            ...(writer.sync.softDeleteColumn !== undefined && { softDeleteColumn: writer.sync.softDeleteColumn }),
            onSkipped: (count) => {
              partSkipped = count;
            },
          };
    const isolate = async (rows: readonly RefusedRow[]): Promise<IsolatedStatements> => {
      refused = rows.map((row) => ({ index: part[row.position] as number, error: row.error }));
      const isolated = await parts?.statements(
        part,
        refused.map((reject) => recorded(reject.index, message(reject.error))),
      );
      return {
        ...(isolated?.ledger && { ledger: isolated.ledger }),
        ...(isolated?.rejects && { ledgerRejects: isolated.rejects }),
        ...(isolated?.inTransaction && { inTransaction: isolated.inTransaction }),
      };
    };
    const write = async (): Promise<Buffer[]> =>
      (
        await writer.policy.execute(
          (_attempt, signal) =>
            dialect.write({
              table: writer.table,
              columns,
              rows: part,
              ...(columnTypes && { columnTypes }),
              ...(writer.merge && syncOps === undefined && { upsertKey: primaryKey }),
              ...(syncOps && { sync: syncOps }),
              // A change stream holds inserts: a retry after a lost COMMIT answer asks the ledger instead.
              idempotent: writer.merge !== undefined && syncOps === undefined,
              ...(writer.chunkPool && { chunkPool: writer.chunkPool }),
              signal,
              ...(ledger && { ledger }),
              ...(ledgerRejects && { ledgerRejects }),
              ...(inTransaction && { inTransaction }),
              ...(isolating && { isolate }),
              ...(isolating && context.onIsolating !== undefined && { onIsolating: context.onIsolating }),
            }),
          context.signal,
        )
      ).value;
    let payload: Buffer[] = [];
    try {
      payload = await write();
    } catch (error) {
      if (parts === undefined || isRowDataError(error, dialect.name)) throw error;
      // The record commits with the rows: it tells whether a COMMIT whose answer was lost took effect — also
      // when the retries of an idempotent (merge) write ran out on a connection that kept failing after it.
      const ledgerParts = parts;
      const unknown = driverError(error) instanceof CommitUnknownError;
      let recorded: boolean;
      try {
        recorded = (await writer.policy.execute(() => ledgerParts.recorded(part), context.signal)).value;
      } catch (lookup) {
        throw unknown ? lookup : error;
      }
      if (!recorded && !unknown) throw error;
      if (!recorded) payload = await write();
    }
    for (const chunk of payload) {
      // Sent, and hashed into the checksum (not kept): the buffer serves the next batch.
      if (context.addPayload(chunk) === true) writer.chunkPool?.give(chunk);
    }
    parts?.written(part, refused.length);
    skipped += partSkipped;
    return refused;
  };

  let rejects: IsolatedReject[];
  try {
    rejects = await writeIsolatingRejects(pending, {
      signal: context.signal,
      isRowError: (error) => isRowDataError(error, dialect.name),
      onReject: (reject) => parts?.rejected(recorded(reject.index, message(reject.error))),
      attempt: async (part) => {
        await writePart(part, false);
      },
      ...(dialect.isolatesInTransaction === true && { isolate: (part: Int32Array) => writePart(part, true) }),
    });
    // The ledger's own queries retry like the writes: a session lost mid-batch must not fail the batch here.
    if (parts !== undefined) await writer.policy.execute(() => parts.finish(), context.signal);
  } catch (error) {
    // A failed batch (which the caller may retry) leaves no keys behind.
    for (const key of added) writer.merge?.seen.delete(key);
    throw error;
  }

  const rejected: RejectedRecord[] = [...refused].map(([index, message]) => ({
    index,
    message,
    category: ErrorCategory.PERMANENT,
    ...(readKey && { key: keyText(keys[index]) }),
  }));
  for (const reject of rejects) {
    rejected.push({
      index: reject.index,
      message: message(reject.error),
      category: ErrorCategory.PERMANENT,
      ...(readKey && { key: keyText(keys[reject.index]) }),
    });
  }
  rejected.sort((a, b) => a.index - b.index);
  // Rows an earlier attempt handled (a half-written batch resumed) are neither delivered nor rejected now.
  const earlier = {
    ...(parts !== undefined && parts.skip > 0 && { handledEarlier: parts.skip }),
    ...(skipped > 0 && { skipped }),
  };
  if (readKey === undefined) return { ...earlier, ...(rejected.length > 0 && { rejected }) };
  // Every row written (none isolated, none done by an earlier attempt): the ids read ahead are the answer.
  if (prepared?.recordIds !== undefined && rejects.length === 0 && pending.length === rows.length) {
    return { recordIds: prepared.recordIds, ...earlier, ...(rejected.length > 0 && { rejected }) };
  }
  const failed = new Set(rejects.map((reject) => reject.index));
  const recordIds: string[] = new Array<string>(pending.length - failed.size);
  let next = 0;
  for (const index of pending) if (!failed.has(index)) recordIds[next++] = recordIdOf(keys[index] as RowKey);
  return { recordIds, ...earlier, ...(rejected.length > 0 && { rejected }) };
}
