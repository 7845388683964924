import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import type { Client } from 'pg';
import {
  helperTableName,
  identifierProblem,
  quoteIdentifier,
  quoteQualified,
  type QualifiedName,
} from '../identifiers.js';
import { randomTag, withConnection } from '../internal/with-connection.js';
import { CommitOutcomeUnknown, postgresWrite, transactionStatus } from './postgres-write.js';
import type { ExistingTable, SqlDialect, WriteRequest } from './sql-dialect.js';
import { createTableSql } from './ddl.js';
import { CommitUnknownError } from './commit-unknown-error.js';

const q = (name: string): string => quoteIdentifier(name, 'double');
const qq = (table: QualifiedName): string => quoteQualified(table, 'double');

/** Creates the PostgreSQL dialect over a knex `pg` instance. */
export function postgresDialect(knex: Knex): SqlDialect {
  let defaultSchema: string | undefined;
  const run = <T>(fn: (client: Client) => Promise<T>): Promise<T> => withConnection<Client, T>(knex, fn);
  const query = (sql: string, params: unknown[] = []) => run(async (client) => (await client.query(sql, params)).rows);

  return {
    name: 'postgres',
    system: 'postgresql',
    isolatesInTransaction: true,
    get defaultSchema() {
      return defaultSchema;
    },
    async connect() {
      const rows = await query('SELECT current_schema() AS schema');
      defaultSchema = (rows[0] as { schema: string | null } | undefined)?.schema ?? 'public';
    },
    async describe(table) {
      return run((client) => describePostgresTable(client, table));
    },
    async createTable(table, columns, primaryKey) {
      await query(createTableSql(columns, primaryKey, q, qq(table)));
    },
    async addColumns(table, columns) {
      if (columns.length === 0) return;
      const adds = columns.map((column) => `ADD COLUMN IF NOT EXISTS ${q(column.name)} ${column.type}`);
      await query(`ALTER TABLE ${qq(table)} ${adds.join(', ')}`);
    },
    async createTableLike(staging, target) {
      await query(`CREATE TABLE ${qq(staging)} (LIKE ${qq(target)} INCLUDING ALL)`);
    },
    async swap(target, staging) {
      await run((client) => swapTables(client, target, staging));
    },
    async dropTable(table) {
      await query(`DROP TABLE IF EXISTS ${qq(table)}`);
    },
    async tablesStartingWith(schema, prefix) {
      const rows = (await query(
        'SELECT tablename AS name FROM pg_tables WHERE schemaname = coalesce($1, current_schema()) AND left(tablename, length($2)) = $2',
        [schema ?? null, prefix],
      )) as { name: string }[];
      return rows.map((row) => row.name);
    },
    async write(request: WriteRequest) {
      try {
        return await run((client) => postgresWrite(client, request));
      } catch (error) {
        if (!(error instanceof CommitOutcomeUnknown)) throw error;
        const status = await settledStatus(error.xid);
        if (status === 'committed') return error.payload;
        if (status === 'aborted' || request.idempotent) throw error.cause;
        throw new CommitUnknownError(error.cause);
      }
    },
  };

  async function settledStatus(xid: string): Promise<string | null> {
    for (let wait = 0; wait < 50; wait++) {
      const status = await run((client) => transactionStatus(client, xid)).catch(() => 'in progress');
      if (status !== 'in progress') return status;
      await sleep(100);
    }
    return null;
  }
}

/** Columns and unique keys of a PostgreSQL table, or `undefined` when it does not exist. */
async function describePostgresTable(client: Client, table: QualifiedName): Promise<ExistingTable | undefined> {
  const found = await client.query(
    'SELECT c.oid::int8::text AS oid, c.relkind FROM pg_class c WHERE c.oid = to_regclass($1)',
    [qq(table)],
  );
  const relation = found.rows[0] as { oid: string; relkind: string } | undefined;
  if (relation === undefined) return undefined;
  if (relation.relkind !== 'r' && relation.relkind !== 'p') {
    throw new TypeError(`${qq(table)} is not a table (relkind ${relation.relkind})`);
  }
  const columns = await client.query(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
       FROM pg_attribute a WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [relation.oid],
  );
  const keys = await client.query(
    `SELECT array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1::oid AND i.indisunique AND i.indpred IS NULL
      GROUP BY i.indexrelid`,
    [relation.oid],
  );
  return {
    columns: columns.rows as ExistingTable['columns'],
    uniqueKeys: (keys.rows as { columns: string[] }[]).map((row) => row.columns),
  };
}

async function swapTables(client: Client, target: QualifiedName, staging: QualifiedName): Promise<void> {
  const old = helperTableName(target, 'old', randomTag());
  await client.query('BEGIN');
  try {
    // Renaming waits for readers of the old table; give up (and retry) rather than queue forever.
    await client.query("SET LOCAL lock_timeout = '60s'");
    const stagingExists = (await client.query('SELECT to_regclass($1) IS NOT NULL AS exists', [qq(staging)]))
      .rows[0] as { exists: boolean };
    if (!stagingExists.exists) {
      // A retry after a COMMIT whose answer was lost: the swap already happened.
      await client.query('ROLLBACK');
      return;
    }
    const exists = (await client.query('SELECT to_regclass($1) IS NOT NULL AS exists', [qq(target)])).rows[0] as {
      exists: boolean;
    };
    // The table replaced keeps what users gave it: owner, privileges, comment, index names.
    const names = exists.exists ? await carryOver(client, target, staging) : new Map<string, string>();
    if (exists.exists) await client.query(`ALTER TABLE ${qq(target)} RENAME TO ${q(old.name)}`);
    await client.query(`ALTER TABLE ${qq(staging)} RENAME TO ${q(target.name)}`);
    if (exists.exists) await client.query(`DROP TABLE ${qq(old)}`);
    const indexes = await client.query(
      `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass($1)`,
      [qq(target)],
    );
    for (const { name } of indexes.rows as { name: string }[]) {
      const renamed = names.get(name) ?? `${target.name}_${name.slice(staging.name.length + 1)}`;
      if (!names.has(name) && (!name.startsWith(`${staging.name}_`) || identifierProblem(renamed))) continue;
      if (identifierProblem(name) || renamed === name) continue;
      const taken = (
        await client.query('SELECT to_regclass($1) IS NOT NULL AS taken', [
          qq({ schema: target.schema, name: renamed }),
        ])
      ).rows[0] as { taken: boolean };
      if (!taken.taken)
        await client.query(`ALTER INDEX ${qq({ schema: target.schema, name })} RENAME TO ${q(renamed)}`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** An index's shape without its name and table: uniqueness, primary key, method, columns, predicate. */
const INDEX_SHAPES = `SELECT c.relname AS name,
    i.indisunique::text || i.indisprimary::text || regexp_replace(pg_get_indexdef(i.indexrelid), '^.* USING ', '') AS shape
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass($1) ORDER BY c.relname`;

/**
 * Gives `staging` what the user gave `target`: its owner, its table privileges (GRANTs, also to PUBLIC) and its
 * comment (`CREATE TABLE … LIKE … INCLUDING ALL` copied the column and index comments). Returns, for each index of
 * `staging` that has the shape of one of `target`, the name to give it once `target` is gone.
 */
async function carryOver(client: Client, target: QualifiedName, staging: QualifiedName): Promise<Map<string, string>> {
  const owner = async (table: QualifiedName): Promise<string> =>
    (
      (
        await client.query('SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = to_regclass($1)', [
          qq(table),
        ])
      ).rows[0] as { owner: string }
    ).owner;
  const targetOwner = await owner(target);
  if (targetOwner !== (await owner(staging)))
    await client.query(`ALTER TABLE ${qq(staging)} OWNER TO ${q(targetOwner)}`);
  const grants = await client.query(
    `SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee, a.privilege_type AS privilege,
            a.is_grantable AS grantable
       FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = to_regclass($1)`,
    [qq(target)],
  );
  for (const grant of grants.rows as { grantee: string | null; privilege: string; grantable: boolean }[]) {
    const to = grant.grantee === null ? 'PUBLIC' : q(grant.grantee);
    await client.query(
      `GRANT ${grant.privilege} ON ${qq(staging)} TO ${to}${grant.grantable ? ' WITH GRANT OPTION' : ''}`,
    );
  }
  const comment = (
    await client.query(
      `SELECT format('COMMENT ON TABLE %s IS %L', $2::text, obj_description(to_regclass($1), 'pg_class')) AS sql,
              obj_description(to_regclass($1), 'pg_class') IS NOT NULL AS present`,
      [qq(target), qq(staging)],
    )
  ).rows[0] as { sql: string; present: boolean };
  if (comment.present) await client.query(comment.sql);
  const shapes = async (table: QualifiedName): Promise<{ name: string; shape: string }[]> =>
    (await client.query(INDEX_SHAPES, [qq(table)])).rows as { name: string; shape: string }[];
  const free = new Map<string, string[]>();
  for (const { name, shape } of await shapes(target)) free.set(shape, [...(free.get(shape) ?? []), name]);
  const names = new Map<string, string>();
  for (const { name, shape } of await shapes(staging)) {
    const original = free.get(shape)?.shift();
    if (original !== undefined) names.set(name, original);
  }
  return names;
}
