import type { Knex } from 'knex';
import type { SqlDialectName } from '../connection-url.js';
import { mysqlDialect } from './mysql.js';
import { postgresDialect } from './postgres.js';
import type { SqlDialect } from './sql-dialect.js';
import { sqliteDialect } from './sqlite.js';

/** The dialect for a database family over a knex instance of the matching client. */
export function createDialect(
  name: SqlDialectName,
  knex: Knex,
  options: { readonly mariadbScheme?: boolean } = {},
): SqlDialect {
  if (name === 'postgres') return postgresDialect(knex);
  if (name === 'mysql') return mysqlDialect(knex, options.mariadbScheme ?? false);
  return sqliteDialect(knex);
}
