import type { SinkConfig } from '@floe/core';
import type { Knex } from 'knex';
import { destination, type Destination } from '../../engine/destination/destination.js';
import type { DestinationHooks } from '../../engine/destination/types.js';
import { createRetryPolicy } from '../../engine/retry/index.js';
import { displayName } from './identifiers.js';
import { SqlConnection } from './sql-connection.js';
import {
  dropReplacedTable,
  openSqlLoad,
  swapInReplacedTable,
  writeSqlBatch,
  type SqlLoad,
  type SqlSink,
} from './sql-load.js';
import { SQL_DATABASE_SINK_TYPE, resolveSqlSinkSettings } from './sql-sink-settings.js';
import { isRetryableSqlFailure, prepareBatch, skipBatch } from './write-batch.js';

export { ATTR_DB_COLLECTION_NAME } from './sql-load.js';

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
  const connection = new SqlConnection(settings, policy, deps.knex);
  const { ledger } = connection;
  const sink: SqlSink = { settings, connection, policy, label, context };
  let load: SqlLoad | undefined;

  const hooks: DestinationHooks = {
    async open({ table, span, sync }) {
      load = undefined;
      load = await openSqlLoad(sink, table, span, sync);
    },
    skip(batch) {
      if (load !== undefined) skipBatch(load.writer, batch);
    },
    prepare(batch) {
      return load === undefined ? undefined : prepareBatch(load.writer, batch);
    },
    async commit({ span }) {
      await swapInReplacedTable(sink, load, span);
      load = undefined;
    },
    async rollback() {
      const current = load;
      load = undefined;
      return dropReplacedTable(connection.dialect, current);
    },
    async close() {
      load = undefined;
      await connection.close();
    },
  };

  return destination<'arrow'>((batch, _table, batchContext) => writeSqlBatch(sink, load, batch, batchContext), {
    name: settings.destination,
    sinkType: SQL_DATABASE_SINK_TYPE,
    identity: `${settings.identity}/${label}`,
    tableName: label,
    batchSize: config.batchSize ?? 0,
    namingConvention: settings.naming,
    maxParallelLoadJobs: settings.concurrency,
    loaderFileFormat: 'arrow',
    primaryKey: settings.primaryKey,
    hooks,
    ...(ledger && { ledger }),
  });
}
