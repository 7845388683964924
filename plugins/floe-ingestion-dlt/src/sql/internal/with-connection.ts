import type { Knex } from 'knex';

/**
 * Runs `fn` with a raw driver connection from knex's pool (a `pg.Client`, a `mysql2` connection, a
 * `better-sqlite3` database) and gives it back afterwards; knex drops connections that broke.
 */
export async function withConnection<C, T>(knex: Knex, fn: (connection: C) => Promise<T>): Promise<T> {
  const client = knex.client as { acquireConnection(): Promise<C>; releaseConnection(connection: C): Promise<void> };
  const connection = await client.acquireConnection();
  try {
    return await fn(connection);
  } finally {
    await client.releaseConnection(connection);
  }
}

/** A short random tag for helper table names. */
export function randomTag(): string {
  return Math.floor(Math.random() * 0x1000000)
    .toString(16)
    .padStart(6, '0');
}
