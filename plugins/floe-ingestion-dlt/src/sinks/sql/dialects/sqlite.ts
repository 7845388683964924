import type { Database } from 'better-sqlite3';
import type { Knex } from 'knex';
import { quoteIdentifier, quoteQualified, type QualifiedName } from '../identifiers.js';
import { withConnection } from '../internal/with-connection.js';
import { createTableSql } from './ddl.js';
import type { ExistingTable, SqlDialect } from './sql-dialect.js';
import { sqliteWrite } from './sqlite-write.js';

const q = (name: string): string => quoteIdentifier(name, 'double');
const qq = (table: QualifiedName): string => quoteQualified(table, 'double');
const schemaOf = (table: QualifiedName): string => q(table.schema ?? 'main');

/** `CREATE TABLE [IF NOT EXISTS] [schema.]name` at the start of a stored table definition. */
const CREATE_TABLE_HEAD =
  /^CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:(?:"(?:[^"]|"")+"|\[[^\]]+\]|`[^`]+`|\w+)\s*\.\s*)?(?:"(?:[^"]|"")+"|\[[^\]]+\]|`[^`]+`|'[^']+'|\w+)/i;

/** Creates the SQLite dialect over a knex `better-sqlite3` instance. */
export function sqliteDialect(knex: Knex): SqlDialect {
  const configured = new WeakSet<object>();
  const run = <T>(fn: (db: Database) => T | Promise<T>): Promise<T> =>
    withConnection<Database, T>(knex, async (db) => {
      if (!configured.has(db)) {
        db.pragma('busy_timeout = 10000');
        configured.add(db);
      }
      return fn(db);
    });
  const master = (db: Database, table: QualifiedName, type: string) =>
    db
      .prepare(
        `SELECT name, sql FROM ${schemaOf(table)}.sqlite_master WHERE type = ? AND ${type === 'index' ? 'tbl_name' : 'name'} = ?`,
      )
      .all(type, table.name) as { name: string; sql: string | null }[];

  return {
    name: 'sqlite',
    system: 'sqlite',
    defaultSchema: undefined,
    async connect() {
      await run((db) => db.prepare('SELECT 1').get());
    },
    async describe(table) {
      return run((db) => describeSqliteTable(db, table));
    },
    async createTable(table, columns, primaryKey) {
      await run((db) => db.exec(createTableSql(columns, primaryKey, q, qq(table))));
    },
    async addColumns(table, columns) {
      await run((db) => {
        for (const column of columns) db.exec(`ALTER TABLE ${qq(table)} ADD COLUMN ${q(column.name)} ${column.type}`);
      });
    },
    async createTableLike(staging, target) {
      await run((db) => {
        const sql = master(db, target, 'table')[0]?.sql;
        if (sql === null || sql === undefined || !CREATE_TABLE_HEAD.test(sql)) {
          throw new TypeError(`cannot read the definition of ${qq(target)}`);
        }
        db.exec(sql.replace(CREATE_TABLE_HEAD, `CREATE TABLE ${qq(staging)}`));
      });
    },
    async swap(target, staging) {
      await run((db) => {
        const indexes = master(db, target, 'index').flatMap((index) => (index.sql === null ? [] : [index.sql]));
        const exists = master(db, target, 'table').length > 0;
        // Views and triggers refer to the table by name: it exists again when the transaction commits.
        db.pragma('legacy_alter_table = ON');
        try {
          db.transaction(() => {
            if (exists) db.exec(`DROP TABLE ${qq(target)}`);
            db.exec(`ALTER TABLE ${qq(staging)} RENAME TO ${q(target.name)}`);
            for (const sql of indexes) db.exec(sql);
          }).immediate();
        } finally {
          db.pragma('legacy_alter_table = OFF');
        }
      });
    },
    async dropTable(table) {
      await run((db) => db.exec(`DROP TABLE IF EXISTS ${qq(table)}`));
    },
    async tablesStartingWith(schema, prefix) {
      const rows = await run(
        (db) =>
          db
            .prepare(
              `SELECT name FROM ${q(schema ?? 'main')}.sqlite_master WHERE type = 'table' AND substr(name, 1, length(?)) = ?`,
            )
            .all(prefix, prefix) as { name: string }[],
      );
      return rows.map((row) => row.name);
    },
    isolatesInTransaction: true,
    async write(request) {
      return run((db) => sqliteWrite(db, request));
    },
  };
}

function describeSqliteTable(db: Database, table: QualifiedName): ExistingTable | undefined {
  const found = db.prepare(`SELECT type FROM ${schemaOf(table)}.sqlite_master WHERE name = ?`).get(table.name) as
    { type: string } | undefined;
  if (found === undefined) return undefined;
  if (found.type !== 'table') throw new TypeError(`${qq(table)} is not a table (${found.type})`);
  const info = db.prepare(`PRAGMA ${schemaOf(table)}.table_info(${q(table.name)})`).all() as {
    name: string;
    type: string;
    notnull: number;
    pk: number;
  }[];
  const uniqueKeys: string[][] = [];
  const pk = info.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk);
  if (pk.length > 0) uniqueKeys.push(pk.map((column) => column.name));
  const indexes = db.prepare(`PRAGMA ${schemaOf(table)}.index_list(${q(table.name)})`).all() as {
    name: string;
    unique: number;
    partial: number;
  }[];
  for (const index of indexes) {
    if (index.unique !== 1 || index.partial === 1) continue;
    const columns = db.prepare(`PRAGMA ${schemaOf(table)}.index_info(${sqlString(index.name)})`).all() as {
      seqno: number;
      name: string | null;
    }[];
    if (columns.every((column) => column.name !== null))
      uniqueKeys.push(columns.sort((a, b) => a.seqno - b.seqno).map((column) => column.name as string));
  }
  return {
    columns: info.map((column) => ({
      name: column.name,
      type: column.type,
      nullable: column.notnull === 0 && column.pk === 0,
    })),
    uniqueKeys,
  };
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
