import type { Span } from '@opentelemetry/api';
import type { RecordBatch } from 'apache-arrow';
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
import { writeBatch, type BatchWriter } from './write-batch.js';

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
 */
export async function openSqlLoad(sink: SqlSink, table: TableSchema, span: Span): Promise<SqlLoad> {
  const { settings, policy, label, context } = sink;
  try {
    const current = await sink.connection.connect();
    annotate(span, current, label);
    const planned = planColumns(table, current.name, settings.primaryKey);
    if (planned.issues.length > 0) {
      throw new SinkConfigurationError(`cannot load into table ${label}`, { ...context, issues: planned.issues });
    }
    // Re-running from scratch is safe: it describes the table again (a lost answer leaves at most a stray new table).
    const prepared = (await policy.execute(() => prepareTable(current, settings, planned.columns))).value;
    const { ledger } = sink.connection;
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
      },
    };
  } catch (error) {
    if (error instanceof TableConfigurationIssues) {
      throw new SinkConfigurationError(error.message, { ...context, issues: error.issues });
    }
    throw translateSqlError(error, { ...context, action: `preparing table ${label}` });
  }
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
