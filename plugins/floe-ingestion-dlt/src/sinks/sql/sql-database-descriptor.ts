import type { SinkTypeDescriptor } from '@floe/core';
import { normalizeName } from '../../engine/destination/naming.js';
import { previewValueRows } from '../../engine/destination/preview-rows.js';
import { sqlDatabaseConfigSchema } from './config-schema.js';
import { readBackSqlDestination } from './read-back.js';
import { checkSqlDatabase } from './sql-database-checks.js';
import { SQL_DATABASE_SINK_TYPE } from './sql-sink-settings.js';
import { testSqlTarget } from './test-target.js';
import { describeDatabaseUrl, prepareSqliteFolder, resolveSqliteUrl, sqliteFile } from './sqlite-url.js';

/**
 * The `sql_database` sink type: its config schema, the secret key it reads (`url`), how its target is
 * described, what it refuses before the first row (`check`), its capabilities (append, atomic replace, merge; every
 * sync mode, applied with its sync state in each batch's transaction; per-row rejects; a ledger in the destination),
 * how rows look as written and how the table is read back for `--preview`.
 */
export const sqlDatabaseSink: SinkTypeDescriptor = Object.freeze<SinkTypeDescriptor>({
  sinkType: SQL_DATABASE_SINK_TYPE,
  configSchema: sqlDatabaseConfigSchema,
  description:
    'SQL databases through knex: PostgreSQL (COPY), MySQL/MariaDB and SQLite; append, atomic replace or merge (upsert) on a primary key; creates and evolves the table from the Arrow schema.',
  exampleConfig: { table: 'customers', write_disposition: 'append' },
  secret: { keys: ['url'], anyOf: [['url']] },
  capabilities: {
    dispositions: ['append', 'replace', 'merge'],
    syncModes: ['append', 'replace', 'insert', 'update', 'upsert', 'mirror'],
    recordIds: false,
    perRowRejects: true,
    resumable: true,
    idempotentRequests: false,
  },
  check: checkSqlDatabase,
  // `naming` (default snake_case, as dlt's) names the columns field_mapping does not rename.
  columnName: (config, name) => normalizeName(name, config.naming === 'direct' ? 'direct' : 'snake_case'),
  resolveConnection: (values, { baseDir }) =>
    values.url === undefined ? { ...values } : { ...values, url: resolveSqliteUrl(values.url, baseDir) },
  describeTarget: (config, connection) => {
    const where =
      connection?.url !== undefined ? describeDatabaseUrl(connection.url) : '(database URL from the secret)';
    return typeof config.table === 'string' ? `${where} table ${config.table}` : where;
  },
  // A SQLite destination's file is created by the driver, but not its folder (`out/quickstart.db`).
  prepareTarget: (_config, connection, context) => {
    const file = connection.url === undefined ? undefined : sqliteFile(connection.url);
    if (file !== undefined) prepareSqliteFolder(file, context?.baseDir);
  },
  encodeRows: previewValueRows,
  readBack: (config, connection, limit) => readBackSqlDestination(config, connection, limit),
  // `floe destination test`: connect, table exists (or create_table), mapped columns present; read-only.
  testTarget: testSqlTarget,
});
