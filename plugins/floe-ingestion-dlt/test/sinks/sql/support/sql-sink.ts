import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SinkConfig, type EgressResult, type RetryConfig } from '@floe/core';
import { createMysqlDatabase, createPgSchema } from '@floe/test-harness';
import Database from 'better-sqlite3';
import type { Table } from 'apache-arrow';
import type { Destination } from '../../../../src/engine/destination/destination.js';
import { loadToDestination, type LoadOptions } from '../../../../src/engine/destination/load.js';
import { createSqlDatabaseDestination } from '../../../../src/sinks/sql/index.js';

/** The PostgreSQL URL with a password: trust auth ignores it, so tests can assert it never leaks. */
export const PG_URL_WITH_PASSWORD = 'postgres://postgres:s3cr3t-value@127.0.0.1:5432/test';
export const PG_PASSWORD = 's3cr3t-value';

/** Fast retries for tests. */
export const FAST_RETRY: Partial<RetryConfig> = { maxAttempts: 4, initialDelayMs: 20, maxDelayMs: 100 };

/** A throwaway database of one dialect, with the helpers the shared suite needs. */
export interface SqlTestDatabase {
  readonly dialect: 'postgres' | 'mysql' | 'sqlite';
  readonly url: string;
  /** `table` qualified as the sink's `config.table` should name it. */
  qualified(table: string): string;
  query<R = Record<string, unknown>>(sql: string): Promise<R[]>;
  /** Column name → type as the database reports it (lower case). */
  columnTypes(table: string): Promise<Record<string, string>>;
  /** Quotes an identifier for raw SQL. */
  q(name: string): string;
  drop(): Promise<void>;
}

export async function postgresDatabase(): Promise<SqlTestDatabase> {
  const pg = await createPgSchema('floe_sql');
  return {
    dialect: 'postgres',
    url: PG_URL_WITH_PASSWORD,
    qualified: (table) => `${pg.schema}.${table}`,
    query: (sql) => pg.query(sql.replaceAll('$schema', pg.schema)) as never,
    async columnTypes(table) {
      const rows = await pg.query<{ name: string; type: string }>(
        `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
          WHERE a.attrelid = to_regclass('"${pg.schema}"."${table}"') AND a.attnum > 0 AND NOT a.attisdropped`,
      );
      return Object.fromEntries(rows.map((row) => [row.name, row.type]));
    },
    q: (name) => `"${name}"`,
    drop: () => pg.drop(),
  };
}

export async function mysqlDatabase(): Promise<SqlTestDatabase> {
  const my = await createMysqlDatabase('floe_sql');
  return {
    dialect: 'mysql',
    url: my.url.replace(/^mysql:/, 'mariadb:'),
    qualified: (table) => table,
    query: (sql) => my.query(sql.replaceAll('$schema.', '')),
    async columnTypes(table) {
      const rows = await my.query<{ name: string; type: string }>(
        `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}'`,
      );
      return Object.fromEntries(rows.map((row) => [row.name, row.type.toLowerCase()]));
    },
    q: (name) => `\`${name}\``,
    drop: () => my.drop(),
  };
}

export async function sqliteDatabase(): Promise<SqlTestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'floe-sqlite-'));
  const file = join(dir, 'test.db');
  const db = new Database(file);
  db.defaultSafeIntegers(true);
  return {
    dialect: 'sqlite',
    url: `sqlite:${file}`,
    qualified: (table) => table,
    async query(sql) {
      const statement = db.prepare(sql.replaceAll('$schema.', ''));
      if (statement.reader) return statement.all() as never;
      statement.run();
      return [];
    },
    async columnTypes(table) {
      const rows = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[];
      return Object.fromEntries(rows.map((row) => [row.name, row.type.toLowerCase()]));
    },
    q: (name) => `"${name}"`,
    async drop() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A `sql_database` SinkConfig. */
export function sqlSinkConfig(
  url: string,
  config: Record<string, unknown>,
  init: { batchSize?: number; name?: string } = {},
): SinkConfig {
  return new SinkConfig({
    sinkType: 'sql_database',
    name: init.name ?? 'warehouse',
    connectionConfig: { url, ...config },
    retryConfig: FAST_RETRY,
    ...(init.batchSize !== undefined && { batchSize: init.batchSize }),
  });
}

/** Creates the destination, loads `data` once, closes it. */
export async function loadOnce(
  url: string,
  config: Record<string, unknown>,
  data: Table,
  options: LoadOptions & { batchSize?: number } = {},
): Promise<EgressResult> {
  const sink = createSqlDatabaseDestination(sqlSinkConfig(url, config));
  try {
    return await loadToDestination(sink, data, options);
  } finally {
    await sink.hooks.close?.();
  }
}

/** Wraps a destination so `between(batchIndex)` runs after each batch (e.g. to look at the table from elsewhere). */
export function withBetween(sink: Destination, between: (index: number) => Promise<void>): Destination {
  return {
    ...sink,
    fn: (async (batch: never, table: never, context: { index: number }) => {
      const outcome = await (sink.fn as (b: never, t: never, c: unknown) => Promise<unknown>)(batch, table, context);
      await between(context.index);
      return outcome;
    }) as never,
  };
}
