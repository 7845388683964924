// The sql_database sink: PostgreSQL (COPY), MySQL/MariaDB and SQLite through knex.
export { sqlDatabaseSink, createSqlDatabaseDestination, ATTR_DB_COLLECTION_NAME } from './sql-database-sink.js';
export type { SqlDatabaseDestinationDeps } from './sql-database-sink.js';
export { sqlDatabaseConfigSchema, WRITE_DISPOSITIONS } from './config-schema.js';
export type { SqlDatabaseConfig, SqlDatabaseConfigInput, WriteDisposition } from './config-schema.js';
export { SQL_DATABASE_SINK_TYPE } from './sql-sink-settings.js';
export { parseConnectionUrl, SQL_SINK_APPLICATION_NAME } from './connection-url.js';
export type { ConnectionTarget, SqlDialectName } from './connection-url.js';
export { sqlTypeFor } from './type-mapping.js';
