import { describe } from '@jest/globals';
import { sqlLedgerSuite } from './support/ledger-suite.js';
import { mysqlDatabase, postgresDatabase, sqliteDatabase } from './support/sql-sink.js';

describe('sql_database delivery ledger on PostgreSQL', () => {
  sqlLedgerSuite(postgresDatabase);
});

describe('sql_database delivery ledger on MariaDB', () => {
  sqlLedgerSuite(mysqlDatabase);
});

describe('sql_database delivery ledger on SQLite', () => {
  sqlLedgerSuite(sqliteDatabase);
});
