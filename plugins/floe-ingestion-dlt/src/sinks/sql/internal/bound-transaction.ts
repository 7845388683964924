import type { Knex } from 'knex';

/**
 * A knex transaction handle over a driver connection whose transaction the dialect already opened (a batch's
 * own `BEGIN … COMMIT` on a `pg.Client`, mysql2 connection or better-sqlite3 database from the same knex's pool):
 * every query built from it (`trx(table)`, `trx.withSchema(s).table(t)`, `trx.raw(…)`) runs on that connection,
 * inside that transaction. It never begins, commits or rolls back: the dialect does. Lets code written for a knex
 * transaction (`KnexSyncState.addPendingIn`) take part in the batch's transaction.
 *
 * @example
 * ```ts
 * await state.addPendingIn(boundTransaction(knex, client), scope, runId, batchIndex, rows);
 * ```
 */
export function boundTransaction(knex: Knex, connection: unknown): Knex.Transaction {
  const bound = ((table?: string) =>
    (table === undefined ? knex.queryBuilder() : knex(table)).connection(connection)) as unknown as Record<
    string,
    unknown
  >;
  bound.withSchema = (schema: string) => knex.queryBuilder().withSchema(schema).connection(connection);
  bound.table = (table: string) => knex(table).connection(connection);
  bound.from = bound.table;
  bound.queryBuilder = () => knex.queryBuilder().connection(connection);
  bound.raw = (sql: string, bindings?: Knex.RawBinding[] | Knex.ValueDict) =>
    (bindings === undefined ? knex.raw(sql) : knex.raw(sql, bindings)).connection(connection);
  bound.client = knex.client;
  bound.isTransaction = true;
  bound.fn = knex.fn;
  bound.ref = knex.ref.bind(knex);
  const refuse = (what: string) => () => {
    throw new Error(`${what} is not available on a transaction the SQL dialect controls`);
  };
  bound.commit = refuse('commit');
  bound.rollback = refuse('rollback');
  bound.transaction = refuse('a nested transaction');
  bound.savepoint = refuse('a savepoint');
  return bound as unknown as Knex.Transaction;
}
