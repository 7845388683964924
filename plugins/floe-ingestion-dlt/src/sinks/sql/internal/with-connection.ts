import type { Knex } from 'knex';
import { isMysqlStatementError } from '../dialects/mysql-errors.js';
import { isPostgresStatementError } from '../dialects/postgres-errors.js';

/**
 * Runs `fn` with a raw driver connection from knex's pool (a `pg.Client`, a `mysql2` connection, a
 * `better-sqlite3` database) and gives it back afterwards. A connection that may have broken is not given back
 * for reuse: knex learns of a lost session from the driver's `end` event, which can come after the connection
 * was released, so a session killed in one batch could otherwise fail the next one that picks it up.
 */
export async function withConnection<C, T>(knex: Knex, fn: (connection: C) => Promise<T>): Promise<T> {
  const client = knex.client as { acquireConnection(): Promise<C>; releaseConnection(connection: C): Promise<void> };
  let connection = await client.acquireConnection();
  for (let tries = 0; isBroken(connection) && tries < 3; tries++) {
    await client.releaseConnection(dispose(connection));
    connection = await client.acquireConnection();
  }
  let failure: unknown;
  try {
    return await fn(connection);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    const suspect = isBroken(connection) || (failure !== undefined && !isStatementError(failure));
    await client.releaseConnection(suspect ? dispose(connection) : connection);
  }
}

/**
 * An error the database raised about the statement or its data (SQLSTATE class 22 data, 23 integrity, 42 syntax
 * or access; MySQL errno below 2000): the session is fine. Anything else may have left it unusable.
 */
function isStatementError(error: unknown): boolean {
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  if (typeof code === 'string' && isPostgresStatementError(code)) return true;
  return typeof errno === 'number' && isMysqlStatementError(errno);
}

/** A driver connection that can no longer run queries (pg: `_queryable`/`_ending`; mysql2: `_fatalError`/`_closing`). */
export function isBroken(connection: unknown): boolean {
  const state = connection as {
    _queryable?: boolean;
    _ending?: boolean;
    _fatalError?: unknown;
    _closing?: boolean;
    __knex__disposed?: unknown;
  };
  return (
    state._queryable === false ||
    state._ending === true ||
    (state._fatalError !== undefined && state._fatalError !== null) ||
    state._closing === true ||
    Boolean(state.__knex__disposed)
  );
}

/** Marks a connection for knex to destroy when it is released. */
function dispose<C>(connection: C): C {
  const state = connection as { __knex__disposed?: unknown };
  state.__knex__disposed ??= 'connection broke';
  return connection;
}

/** A short random tag for helper table names. */
export function randomTag(): string {
  return Math.floor(Math.random() * 0x1000000)
    .toString(16)
    .padStart(6, '0');
}
