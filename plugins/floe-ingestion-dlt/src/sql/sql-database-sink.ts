import type { SinkConfig } from '@floe/core';
import type { Span } from '@opentelemetry/api';
import knexModule, { type Knex } from 'knex';
import { destination, type Destination } from '../destination/destination.js';
import type { DestinationHooks } from '../destination/types.js';
import { SinkConfigurationError, registerSecret, sanitizeErrorMessage } from '../errors/index.js';
import { createRetryPolicy } from '../retry/index.js';
import { ATTR_DB_SYSTEM_NAME } from '../tracing/index.js';
import { sqlDatabaseConfigSchema } from './config-schema.js';
import { createDialect } from './dialects/create-dialect.js';
import type { SqlDialect } from './dialects/sql-dialect.js';
import { displayName } from './identifiers.js';
import { translateSqlError } from './internal/translate-sql-error.js';
import { planColumns } from './plan-columns.js';
import { TableConfigurationIssues, prepareTable, type PreparedTable } from './prepare-table.js';
import { SQL_DATABASE_SINK_TYPE, resolveSqlSinkSettings, type SqlSinkSettings } from './sql-sink-settings.js';
import { LEDGER_TABLE } from '@floe/delivery';
import { SqlDestinationLedger } from './sql-ledger.js';
import { ChunkPool } from './encode/chunk-pool.js';
import { isRetryableSqlFailure, prepareBatch, skipBatch, writeBatch, type BatchWriter } from './write-batch.js';

/** OpenTelemetry attribute of the table a batch goes to. */
export const ATTR_DB_COLLECTION_NAME = 'db.collection.name';

/**
 * knex's own log: its warnings (a dropped pooled connection, a failed acquire) are reported to the caller as
 * errors anyway, so they are not printed; its errors are printed sanitised.
 */
function quietLog(secrets: readonly string[]): Knex.Logger {
  const silent = (): void => undefined;
  return {
    warn: silent,
    debug: silent,
    deprecate: silent,
    error: (message: unknown) => console.error(sanitizeErrorMessage(String(message), secrets)),
  };
}

/** Dependencies of {@link createSqlDatabaseDestination}. */
export interface SqlDatabaseDestinationDeps {
  /**
   * A knex instance (`pg`, `mysql2` or `better-sqlite3` client) to use instead of one built from the
   * secret's `url`. The caller owns it: `close()` does not destroy it.
   */
  readonly knex?: Knex;
}

export { sqlDatabaseSink } from './sql-database-descriptor.js';

/**
 * Builds the `sql_database` destination from a {@link SinkConfig} whose `connectionConfig` holds the
 * `config:` keys (`table`, `write_disposition`, `primary_key`, `create_table`) and the secret's `url`.
 * The configuration is validated now (a {@link SinkConfigurationError} lists every problem); the database
 * is contacted only when a load opens. Close it (`hooks.close()`) to release the pool.
 *
 * @example
 * ```ts
 * const sink = createSqlDatabaseDestination(new SinkConfig({
 *   sinkType: 'sql_database',
 *   name: 'warehouse',
 *   connectionConfig: { url: process.env.DB_URL, table: 'crm.customers', write_disposition: 'merge', primary_key: ['customer_id'] },
 * }));
 * const receipt = await loadToDestination(sink, goldTable);
 * await sink.hooks.close?.();
 * ```
 */
export function createSqlDatabaseDestination(
  config: SinkConfig,
  deps: SqlDatabaseDestinationDeps = {},
): Destination<'arrow'> {
  const settings = resolveSqlSinkSettings(config, deps.knex);
  const secrets = settings.target?.secrets ?? [];
  const label = displayName(settings.table);
  const context = { sinkType: SQL_DATABASE_SINK_TYPE, destination: settings.destination, secrets };
  const policy = createRetryPolicy(config.retryConfig ?? {}, {
    isRetryable: isRetryableSqlFailure,
    context: { sinkType: SQL_DATABASE_SINK_TYPE, destination: settings.destination },
  });
  let forget: (() => void) | undefined;
  const remember = (): void => {
    if (forget !== undefined) return;
    const forgets = secrets.map((secret) => registerSecret(secret));
    forget = () => forgets.forEach((f) => f());
  };
  remember();
  let knex = deps.knex;
  let dialect: SqlDialect | undefined;
  let load: { writer: BatchWriter; prepared: PreparedTable } | undefined;

  const connect = async (): Promise<SqlDialect> => {
    remember();
    if (dialect !== undefined) return dialect;
    knex ??= knexModule.knex({ ...poolFor(settings), log: quietLog(secrets) });
    const created = createDialect(settings.dialect, knex, { mariadbScheme: settings.target?.mariadbScheme ?? false });
    await policy.execute(() => created.connect());
    dialect = created;
    return created;
  };
  // append / merge: the delivery ledger lives in this database, each batch's record written in its transaction.
  // (replace needs none: its new table is swapped in at the end, so a crashed load simply starts over.)
  const ledger =
    settings.writeDisposition === 'replace'
      ? undefined
      : new SqlDestinationLedger(
          async () => {
            const current = await connect();
            return { knex: knex as Knex, schema: settings.table.schema ?? current.defaultSchema };
          },
          `${settings.identity} ${settings.table.schema === undefined ? '' : `${settings.table.schema}.`}${LEDGER_TABLE}`,
        );
  const annotate = (span: Span, current: SqlDialect): void => {
    span.setAttribute(ATTR_DB_SYSTEM_NAME, current.system);
    span.setAttribute(ATTR_DB_COLLECTION_NAME, label);
  };

  const hooks: DestinationHooks = {
    async open({ table, span }) {
      load = undefined;
      try {
        const current = await connect();
        annotate(span, current);
        const planned = planColumns(table, current.name, settings.primaryKey);
        if (planned.issues.length > 0) {
          throw new SinkConfigurationError(`cannot load into table ${label}`, { ...context, issues: planned.issues });
        }
        // Re-running from scratch is safe: it describes the table again (a lost answer leaves at most a stray new table).
        const prepared = (await policy.execute(() => prepareTable(current, settings, planned.columns))).value;
        load = {
          prepared,
          writer: {
            dialect: current,
            table: prepared.writeTable,
            primaryKey: settings.primaryKey,
            merge: settings.writeDisposition === 'merge' ? { seen: new Set() } : undefined,
            policy,
            secrets,
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
    },
    skip(batch) {
      if (load !== undefined) skipBatch(load.writer, batch);
    },
    prepare(batch) {
      return load === undefined ? undefined : prepareBatch(load.writer, batch);
    },
    async commit({ span }) {
      const current = load;
      const staging = current?.prepared.staging;
      if (current === undefined || staging === undefined || dialect === undefined) {
        load = undefined;
        return;
      }
      annotate(span, dialect);
      const active = dialect;
      try {
        await policy.execute(() => active.swap(current.prepared.target, staging));
      } catch (error) {
        // The load stays open: the engine's rollback drops the new table.
        throw translateSqlError(error, { ...context, action: `swapping the replaced table ${label} in` });
      }
      load = undefined;
    },
    async rollback() {
      const current = load;
      load = undefined;
      const staging = current?.prepared.staging;
      if (staging === undefined) return undefined;
      // replace: nothing of this load ever became visible.
      await dialect?.dropTable(staging).catch(() => undefined);
      return { discarded: 'all' as const };
    },
    async close() {
      load = undefined;
      dialect = undefined;
      await ledger?.close();
      if (deps.knex === undefined && knex !== undefined) {
        const owned = knex;
        knex = undefined;
        await owned.destroy();
      }
      forget?.();
      forget = undefined;
    },
  };

  return destination<'arrow'>(
    async (batch, _table, batchContext) => {
      const current = load;
      if (current === undefined)
        throw new Error(`sql_database destination "${settings.destination}": a batch arrived before open()`);
      annotate(batchContext.span, current.writer.dialect);
      try {
        return await writeBatch(current.writer, batch, batchContext);
      } catch (error) {
        throw translateSqlError(error, { ...context, action: `writing batch ${batchContext.index} to ${label}` });
      }
    },
    {
      name: settings.destination,
      sinkType: SQL_DATABASE_SINK_TYPE,
      identity: `${settings.identity}/${label}`,
      tableName: label,
      batchSize: config.batchSize ?? 0,
      namingConvention: 'direct',
      maxParallelLoadJobs: settings.concurrency,
      loaderFileFormat: 'arrow',
      primaryKey: settings.primaryKey,
      hooks,
      ...(ledger && { ledger }),
    },
  );
}

/** The URL's knex configuration with a pool of one connection per concurrent batch, plus one for the ledger. */
function poolFor(settings: SqlSinkSettings): Knex.Config {
  const config = settings.target?.knexConfig as Knex.Config;
  if (settings.dialect === 'sqlite') return config;
  return { ...config, pool: { ...config.pool, min: 0, max: settings.concurrency + 1 } };
}
