import type { Span } from '@opentelemetry/api';
import type { RecordBatch } from 'apache-arrow';
import { KEYED_SYNC_MODES, type SyncWrite } from '@floe/core';
import type { BatchContext, BatchOutcome, RollbackOutcome, TableSchema } from '../../engine/destination/types.js';
import { SinkConfigurationError } from '../../errors/index.js';
import type { RetryPolicy } from '../../engine/retry/index.js';
import { ATTR_DB_SYSTEM_NAME } from '../../engine/tracing/index.js';
import type { SqlDialect } from './dialects/sql-dialect.js';
import { translateSqlError } from './internal/translate-sql-error.js';
import { planColumns } from './plan-columns.js';
import { TableConfigurationIssues, prepareTable, type PreparedTable } from './prepare-table.js';
import { ChunkPool } from './encode/chunk-pool.js';
import type { SqlConnection } from './sql-connection.js';
import type { SqlSinkSettings } from './sql-sink-settings.js';
import { SOFT_DELETE_TYPE } from './internal/sync-rows.js';
import { writeBatch, type BatchWriter, type WriterSync } from './write-batch.js';

/** OpenTelemetry attribute of the table a batch goes to. */
export const ATTR_DB_COLLECTION_NAME = 'db.collection.name';

/** What every load of a `sql_database` destination shares. */
export interface SqlSink {
  readonly settings: SqlSinkSettings;
  readonly connection: SqlConnection;
  readonly policy: RetryPolicy;
  /** The target table's display name. */
  readonly label: string;
  /** The error context of the sink (`translateSqlError`, `SinkConfigurationError`). */
  readonly context: { readonly sinkType: string; readonly destination: string; readonly secrets: readonly string[] };
}

/** An open load: the prepared table and the writer of its batches. */
export interface SqlLoad {
  readonly writer: BatchWriter;
  readonly prepared: PreparedTable;
}

/**
 * Opens a load: connects, plans the columns of `table` and prepares the target table (creates, evolves, or — for
 * replace — creates the new table to swap in). Throws a `SinkConfigurationError` listing every issue, or the
 * translated SQL failure.
 *
 * A sync write (`sync`): the table is keyed by `sync.primaryKey` (else `config.primary_key`) for a keyed mode,
 * which needs a primary key or unique index on it, as merge does; `replace` swaps a new table in (without batch
 * records: an interrupted replace starts over); archiving adds `soft_delete_column` to the table.
 */
export async function openSqlLoad(sink: SqlSink, table: TableSchema, span: Span, sync?: SyncWrite): Promise<SqlLoad> {
  const { policy, label, context } = sink;
  try {
    const { settings, planTable, writerSync } = syncSettings(sink, table, sync);
    const current = await sink.connection.connect();
    annotate(span, current, label);
    const planned = planColumns(planTable, current.name, settings.primaryKey);
    if (planned.issues.length > 0) {
      throw new SinkConfigurationError(`cannot load into table ${label}`, { ...context, issues: planned.issues });
    }
    // Re-running from scratch is safe: it describes the table again (a lost answer leaves at most a stray new table).
    const prepared = (await policy.execute(() => prepareTable(current, settings, planned.columns))).value;
    // replace swaps its new table in at the end: batch records would claim rows a crash drops with the new table.
    const ledger = settings.writeDisposition === 'replace' ? undefined : sink.connection.ledger;
    return {
      prepared,
      writer: {
        dialect: current,
        table: prepared.writeTable,
        primaryKey: settings.primaryKey,
        merge: settings.writeDisposition === 'merge' ? { seen: new Set() } : undefined,
        policy,
        secrets: context.secrets,
        columnTypes: prepared.columnTypes,
        chunkPool: new ChunkPool(),
        ...(ledger && { ledger }),
        ...(writerSync && { sync: writerSync }),
      },
    };
  } catch (error) {
    if (error instanceof TableConfigurationIssues) {
      throw new SinkConfigurationError(error.message, { ...context, issues: error.issues });
    }
    throw translateSqlError(error, { ...context, action: `preparing table ${label}` });
  }
}

/**
 * The settings a load runs with: the sink's own, or for a sync write its mode's (key, disposition), the table to
 * plan (with the soft-delete column when archiving) and how the writer applies change rows.
 */
function syncSettings(
  sink: SqlSink,
  table: TableSchema,
  sync: SyncWrite | undefined,
): { settings: SqlSinkSettings; planTable: TableSchema; writerSync: WriterSync | undefined } {
  const { settings, label, context } = sink;
  if (sync === undefined) return { settings, planTable: table, writerSync: undefined };
  const keyed = KEYED_SYNC_MODES.includes(sync.mode);
  const key = sync.primaryKey.length > 0 ? sync.primaryKey : settings.primaryKey;
  const soft = sync.onDelete === 'archive' ? settings.softDeleteColumn : undefined;
  const issues = [];
  if (keyed && key.length === 0)
    issues.push({ path: 'primary_key', message: `is required by sync mode "${sync.mode}" (the record's identity)` });
  if (sync.mode === 'mirror' && sync.onDelete === 'archive' && soft === undefined)
    issues.push({
      path: 'config.soft_delete_column',
      message:
        'is required by sync on_delete: archive (the timestamp column set instead of deleting): add e.g. soft_delete_column: deleted_at',
    });
  if (soft !== undefined && table.columns.some((column) => column.name === soft))
    issues.push({
      path: 'config.soft_delete_column',
      message: `"${soft}" is a column of the data: name a column of its own`,
    });
  if (issues.length > 0) throw new SinkConfigurationError(`cannot sync table ${label}`, { ...context, issues });
  const writeDisposition = sync.mode === 'replace' ? 'replace' : keyed ? 'merge' : 'append';
  const planTable: TableSchema =
    soft === undefined
      ? table
      : {
          ...table,
          columns: [
            ...table.columns,
            { name: soft, sourceName: soft, type: SOFT_DELETE_TYPE, nullable: true, primaryKey: false },
          ],
        };
  return {
    settings: { ...settings, primaryKey: key, writeDisposition },
    planTable,
    writerSync: { key: keyed ? key : [], ...(soft !== undefined && { softDeleteColumn: soft }) },
  };
}

/** Writes one batch of an open load (`undefined`: none is open, which is misuse). */
export async function writeSqlBatch(
  sink: SqlSink,
  load: SqlLoad | undefined,
  batch: RecordBatch,
  batchContext: BatchContext,
): Promise<BatchOutcome> {
  if (load === undefined)
    throw new Error(`sql_database destination "${sink.settings.destination}": a batch arrived before open()`);
  annotate(batchContext.span, load.writer.dialect, sink.label);
  try {
    return await writeBatch(load.writer, batch, batchContext);
  } catch (error) {
    throw translateSqlError(error, { ...sink.context, action: `writing batch ${batchContext.index} to ${sink.label}` });
  }
}

/**
 * Commits a replace load: swaps its new table in for the target (nothing to do for append / merge, which commit
 * batch by batch). Throws the translated failure; the load then stays open for the engine's rollback.
 */
export async function swapInReplacedTable(sink: SqlSink, load: SqlLoad | undefined, span: Span): Promise<void> {
  const staging = load?.prepared.staging;
  const dialect = sink.connection.dialect;
  if (load === undefined || staging === undefined || dialect === undefined) return;
  annotate(span, dialect, sink.label);
  try {
    await sink.policy.execute(() => dialect.swap(load.prepared.target, staging));
  } catch (error) {
    // The load stays open: the engine's rollback drops the new table.
    throw translateSqlError(error, { ...sink.context, action: `swapping the replaced table ${sink.label} in` });
  }
}

/** Rolls a load back: drops a replace load's new table (and says all is discarded); nothing to do otherwise. */
export async function dropReplacedTable(
  dialect: SqlDialect | undefined,
  load: SqlLoad | undefined,
): Promise<RollbackOutcome | undefined> {
  const staging = load?.prepared.staging;
  if (staging === undefined) return undefined;
  // replace: nothing of this load ever became visible.
  await dialect?.dropTable(staging).catch(() => undefined);
  return { discarded: 'all' as const };
}

function annotate(span: Span, dialect: SqlDialect, label: string): void {
  span.setAttribute(ATTR_DB_SYSTEM_NAME, dialect.system);
  span.setAttribute(ATTR_DB_COLLECTION_NAME, label);
}
