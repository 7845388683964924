import type { Knex } from 'knex';
import { helperTableName, quoteIdentifier, quoteQualified, type QualifiedName } from '../identifiers.js';
import { randomTag, withConnection } from '../internal/with-connection.js';
import { mysqlQuery, mysqlWrite, type MysqlConnection } from './mysql-write.js';
import { createTableSql } from './ddl.js';
import type { DbSystemName, ExistingTable, SqlDialect } from './sql-dialect.js';

const q = (name: string): string => quoteIdentifier(name, 'backtick');
const qq = (table: QualifiedName): string => quoteQualified(table, 'backtick');

/**
 * Session settings of every connection the sink uses: strict mode (a value that does not fit is an error,
 * never silently truncated or zeroed), backslash escapes on (the literal encoder relies on them), UTC, and
 * metadata-lock waits (RENAME TABLE behind readers) bounded to 60 s.
 */
const SESSION_SQL =
  "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00', lock_wait_timeout = 60";

/** Creates the MySQL / MariaDB dialect over a knex `mysql2` instance. */
export function mysqlDialect(knex: Knex, mariadbHint: boolean): SqlDialect {
  let defaultSchema: string | undefined;
  /** The server's `max_allowed_packet` (read at connect): no statement may be larger. */
  let maxPacket: number | undefined;
  let system: DbSystemName = mariadbHint ? 'mariadb' : 'mysql';
  const configured = new WeakSet<object>();
  const run = <T>(fn: (connection: MysqlConnection) => Promise<T>): Promise<T> =>
    withConnection<MysqlConnection, T>(knex, async (connection) => {
      if (!configured.has(connection)) {
        await mysqlQuery(connection, SESSION_SQL);
        configured.add(connection);
      }
      return fn(connection);
    });
  const query = <R = Record<string, unknown>[]>(sql: string, values?: unknown[]): Promise<R> =>
    run((connection) => mysqlQuery<R>(connection, sql, values));
  const schemaOf = (table: QualifiedName): string => table.schema ?? defaultSchema ?? '';

  return {
    name: 'mysql',
    get system() {
      return system;
    },
    get defaultSchema() {
      return defaultSchema;
    },
    async connect() {
      const rows = await query<{ db: string | null; version: string; packet: number | string | null }[]>(
        'SELECT DATABASE() AS db, VERSION() AS version, @@max_allowed_packet AS packet',
      );
      defaultSchema = rows[0]?.db ?? undefined;
      const packet = Number(rows[0]?.packet);
      maxPacket = Number.isFinite(packet) && packet > 0 ? packet : undefined;
      system = /mariadb/i.test(rows[0]?.version ?? '') ? 'mariadb' : 'mysql';
    },
    async describe(table) {
      const tables = await query<{ type: string }[]>(
        'SELECT TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
        [schemaOf(table), table.name],
      );
      if (tables.length === 0) return undefined;
      if (tables[0]?.type !== 'BASE TABLE') throw new TypeError(`${qq(table)} is not a table (${tables[0]?.type})`);
      const columns = await query<{ name: string; type: string; nullable: number | string }[]>(
        `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE = 'YES' AS nullable FROM information_schema.COLUMNS
          WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
        [schemaOf(table), table.name],
      );
      const keys = await query<{ name: string; col: string }[]>(
        `SELECT INDEX_NAME AS name, COLUMN_NAME AS col FROM information_schema.STATISTICS
          WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
        [schemaOf(table), table.name],
      );
      const byIndex = new Map<string, string[]>();
      for (const key of keys) byIndex.set(key.name, [...(byIndex.get(key.name) ?? []), key.col]);
      return {
        columns: columns.map((column) => ({
          name: column.name,
          type: column.type,
          nullable: Number(column.nullable) === 1,
        })),
        uniqueKeys: [...byIndex.values()],
      } satisfies ExistingTable;
    },
    async createTable(table, columns, primaryKey) {
      const sql = createTableSql(columns, primaryKey, q, qq(table));
      await query(`${sql} ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    },
    async addColumns(table, columns) {
      if (columns.length === 0) return;
      await query(
        `ALTER TABLE ${qq(table)} ${columns.map((column) => `ADD COLUMN ${q(column.name)} ${column.type} NULL`).join(', ')}`,
      );
    },
    async createTableLike(staging, target) {
      await query(`CREATE TABLE ${qq(staging)} LIKE ${qq(target)}`);
    },
    async swap(target, staging) {
      // A retry after a lost answer: the swap already happened.
      if ((await this.describe(staging)) === undefined) return;
      const exists = (await this.describe(target)) !== undefined;
      if (!exists) {
        await query(`RENAME TABLE ${qq(staging)} TO ${qq(target)}`);
        return;
      }
      const old = helperTableName(target, 'old', randomTag());
      // One RENAME TABLE statement swaps both names atomically.
      await query(`RENAME TABLE ${qq(target)} TO ${qq(old)}, ${qq(staging)} TO ${qq(target)}`);
      // The swap is done; a failing drop leaves a stray table behind, not a failed load.
      await query(`DROP TABLE IF EXISTS ${qq(old)}`).catch(() => undefined);
    },
    async dropTable(table) {
      await query(`DROP TABLE IF EXISTS ${qq(table)}`);
    },
    async tablesStartingWith(schema, prefix) {
      const rows = await query<{ name: string }[]>(
        `SELECT TABLE_NAME AS name FROM information_schema.TABLES
          WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' AND LEFT(TABLE_NAME, CHAR_LENGTH(?)) = ?`,
        [schema ?? defaultSchema ?? '', prefix, prefix],
      );
      return rows.map((row) => row.name);
    },
    isolatesInTransaction: true,
    async write(request) {
      return run((connection) => mysqlWrite(connection, request, maxPacket));
    },
  };
}
