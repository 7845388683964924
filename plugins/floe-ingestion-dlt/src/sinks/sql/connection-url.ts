import { resolve } from 'node:path';
import type { Knex } from 'knex';

/** The database families the `sql_database` sink speaks. */
export type SqlDialectName = 'postgres' | 'mysql' | 'sqlite';

/** A parsed connection URL: how to connect, and how to name the target without secrets. */
export interface ConnectionTarget {
  readonly dialect: SqlDialectName;
  /** knex configuration (holds the password: never log it). */
  readonly knexConfig: Knex.Config;
  /** The target without credentials, e.g. `postgresql://db.internal:5432/analytics`. */
  readonly identity: string;
  /** The URL scheme asked for MariaDB explicitly (`mariadb://`). */
  readonly mariadbScheme: boolean;
  /** Values to redact wherever they might appear (the password, the whole URL). */
  readonly secrets: readonly string[];
}

/** `application_name` / connection attribute the sink's sessions carry (find them in `pg_stat_activity`). */
export const SQL_SINK_APPLICATION_NAME = 'floe-sql-database';

/**
 * Parses the `url` of a `sql_database` secret: `postgres://` / `postgresql://`, `mysql://` / `mariadb://`,
 * `sqlite:<path>` (absolute, or relative to the working directory) and `sqlite::memory:`.
 * Returns a problem description (no secrets in it) instead of throwing.
 *
 * @example
 * ```ts
 * parseConnectionUrl('postgres://app:pw@db:5432/analytics').identity; // 'postgresql://db:5432/analytics'
 * ```
 */
export function parseConnectionUrl(url: string): ConnectionTarget | { readonly problem: string } {
  if (/^sqlite:/i.test(url)) return parseSqlite(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: 'is not a valid URL (expected postgres://…, mysql://…, mariadb://… or sqlite:<path>)' };
  }
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  const password = decodeURIComponent(parsed.password);
  const secrets = [url, ...(password === '' ? [] : [password, parsed.password])];
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (parsed.hostname === '') return { problem: `has no host (${scheme}://host:port/database)` };
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const port = parsed.port === '' ? '5432' : parsed.port;
    return {
      dialect: 'postgres',
      mariadbScheme: false,
      identity: `postgresql://${parsed.hostname}:${port}/${database}`,
      secrets,
      knexConfig: {
        client: 'pg',
        connection: { connectionString: url, application_name: SQL_SINK_APPLICATION_NAME },
        pool: { min: 0, max: 2 },
      },
    };
  }
  if (scheme === 'mysql' || scheme === 'mariadb') {
    if (database === '') return { problem: `has no database (${scheme}://host:port/database)` };
    const port = parsed.port === '' ? 3306 : Number(parsed.port);
    return {
      dialect: 'mysql',
      mariadbScheme: scheme === 'mariadb',
      identity: `${scheme}://${parsed.hostname}:${port}/${database}`,
      secrets,
      knexConfig: {
        client: 'mysql2',
        connection: {
          host: parsed.hostname,
          port,
          user: decodeURIComponent(parsed.username),
          password,
          database,
          charset: 'utf8mb4',
          supportBigNumbers: true,
          bigNumberStrings: true,
          dateStrings: true,
          timezone: 'Z',
          connectAttributes: { program_name: SQL_SINK_APPLICATION_NAME },
        } as Knex.MySql2ConnectionConfig,
        pool: { min: 0, max: 2 },
      },
    };
  }
  return { problem: `has an unsupported scheme "${scheme}" (expected postgres, postgresql, mysql, mariadb or sqlite)` };
}

function parseSqlite(url: string): ConnectionTarget | { readonly problem: string } {
  let path = url.replace(/^sqlite:/i, '');
  if (path.startsWith('//')) path = path.slice(2); // sqlite:///abs/path
  if (path === '') return { problem: 'has no database path (sqlite:<path> or sqlite::memory:)' };
  const memory = path === ':memory:';
  const filename = memory ? ':memory:' : resolve(decodeURIComponent(path));
  return {
    dialect: 'sqlite',
    mariadbScheme: false,
    identity: `sqlite:${filename}`,
    secrets: [],
    knexConfig: {
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      // One connection: SQLite has one writer, and an in-memory database lives in its connection.
      pool: { min: memory ? 1 : 0, max: 1, idleTimeoutMillis: memory ? Number.MAX_SAFE_INTEGER : 30_000 },
    },
  };
}
