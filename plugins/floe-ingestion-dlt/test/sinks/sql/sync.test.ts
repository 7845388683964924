import { describe } from '@jest/globals';
import { mysqlDatabase, postgresDatabase, sqliteDatabase } from './support/sql-sink.js';
import { sqlSyncSuite } from './support/sync-suite.js';

describe('sql_database sync writes on PostgreSQL', () => {
  sqlSyncSuite(postgresDatabase);
});

describe('sql_database sync writes on MariaDB', () => {
  sqlSyncSuite(mysqlDatabase);
});

describe('sql_database sync writes on SQLite', () => {
  sqlSyncSuite(sqliteDatabase);
});
