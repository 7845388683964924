import { FORBIDDEN_CREDENTIAL_KEYS, type SinkConfig } from '@floe/core';
import type { Knex } from 'knex';
import { SinkConfigurationError, type ConfigurationIssue } from '../../errors/index.js';
import { sqlDatabaseConfigSchema, type WriteDisposition } from './config-schema.js';
import { parseConnectionUrl, type ConnectionTarget, type SqlDialectName } from './connection-url.js';
import { identifierProblem, parseQualifiedName, type QualifiedName } from './identifiers.js';

/** The sink type this module implements. */
export const SQL_DATABASE_SINK_TYPE = 'sql_database';

/** Batches a destination writes at once unless `max_concurrency` says otherwise. */
export const DEFAULT_CONCURRENCY = 1;

/** Keys a resolved secret may carry beside `url` (credential keys never allowed in floe.yaml): ignored. */
const SECRET_ONLY_KEYS = FORBIDDEN_CREDENTIAL_KEYS;

/** A validated `sql_database` configuration. */
export interface SqlSinkSettings {
  readonly destination: string;
  readonly table: QualifiedName;
  readonly writeDisposition: WriteDisposition;
  readonly primaryKey: readonly string[];
  /** `soft_delete_column`: the timestamp a sync `archive` sets instead of deleting. */
  readonly softDeleteColumn: string | undefined;
  readonly createTable: boolean;
  /** How source column names not in `field_mapping` become column names (`naming`, default snake_case). */
  readonly naming: 'snake_case' | 'direct';
  /** Batches written at once, each in its own transaction (`max_concurrency`; 1 for SQLite). */
  readonly concurrency: number;
  readonly dialect: SqlDialectName;
  /** Absent when a knex instance was injected without a URL. */
  readonly target: ConnectionTarget | undefined;
  readonly identity: string;
}

/**
 * Validates a `sql_database` {@link SinkConfig} without connecting: schema first, then one small rule
 * per cross-field constraint. Throws {@link SinkConfigurationError} listing every issue with its path.
 */
export function resolveSqlSinkSettings(config: SinkConfig, knex?: Knex): SqlSinkSettings {
  const issues: ConfigurationIssue[] = [];
  const { url, ...rest } = config.connectionConfig;
  const configKeys = Object.fromEntries(
    Object.entries(rest).filter(([key]) => !SECRET_ONLY_KEYS.has(key.toLowerCase())),
  );
  const parsed = sqlDatabaseConfigSchema.safeParse(configKeys);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      issues.push({ path: path === '' ? 'config' : `config.${path}`, message: issue.message });
    }
    throw configurationError(config, issues);
  }
  const value = parsed.data;
  const primaryKey = value.primary_key === undefined ? [] : [value.primary_key].flat();
  const table = parseQualifiedName(value.table);
  issues.push(...tableIssues(value.table));
  issues.push(...primaryKeyIssues(primaryKey, value.write_disposition));
  issues.push(...softDeleteColumnIssues(value.soft_delete_column, primaryKey));
  const connection = resolveConnection(url, knex, issues);
  const concurrency = value.max_concurrency ?? DEFAULT_CONCURRENCY;
  if (connection !== undefined) issues.push(...concurrencyIssues(connection.dialect, concurrency));
  if (issues.length > 0 || table === undefined || connection === undefined) throw configurationError(config, issues);
  return Object.freeze({
    destination: config.name,
    table,
    writeDisposition: value.write_disposition,
    primaryKey: Object.freeze(primaryKey),
    softDeleteColumn: value.soft_delete_column,
    createTable: value.create_table,
    naming: value.naming,
    concurrency,
    ...connection,
  });
}

/** `config.table` when it is not `table` or `db_schema.table` of valid identifiers (none when it is). */
export function tableIssues(table: string): ConfigurationIssue[] {
  if (parseQualifiedName(table) !== undefined) return [];
  const parts = table.split('.');
  if (parts.length > 2) return [{ path: 'config.table', message: `"${table}" must be table or db_schema.table` }];
  const problem = parts.map(identifierProblem).find((text) => text !== undefined);
  return [{ path: 'config.table', message: `must be table or db_schema.table: ${problem ?? `"${table}" is invalid`}` }];
}

/** `config.soft_delete_column`: a valid identifier, not a column of the primary key. */
export function softDeleteColumnIssues(
  column: string | undefined,
  primaryKey: readonly string[],
): ConfigurationIssue[] {
  if (column === undefined) return [];
  const problem = identifierProblem(column);
  if (problem !== undefined) return [{ path: 'config.soft_delete_column', message: problem }];
  if (primaryKey.includes(column))
    return [{ path: 'config.soft_delete_column', message: `"${column}" is a primary key column: name another column` }];
  return [];
}

/** `config.max_concurrency` above 1 for SQLite, which has one writer at a time. */
export function concurrencyIssues(dialect: SqlDialectName, concurrency: number): ConfigurationIssue[] {
  if (dialect !== 'sqlite' || concurrency <= 1) return [];
  return [
    {
      path: 'config.max_concurrency',
      message: `must be 1 for SQLite (one writer at a time), got ${concurrency}: remove it or set 1`,
    },
  ];
}

/** `config.primary_key`: required for merge, every column a valid identifier, none listed twice. */
export function primaryKeyIssues(primaryKey: readonly string[], disposition: WriteDisposition): ConfigurationIssue[] {
  const issues: ConfigurationIssue[] = [];
  if (disposition === 'merge' && primaryKey.length === 0) {
    issues.push({ path: 'config.primary_key', message: 'is required for write_disposition merge (the upsert key)' });
  }
  primaryKey.forEach((column, index) => {
    const problem = identifierProblem(column);
    if (problem !== undefined) issues.push({ path: `config.primary_key[${index}]`, message: problem });
    if (primaryKey.indexOf(column) !== index) {
      issues.push({ path: `config.primary_key[${index}]`, message: `"${column}" is listed twice` });
    }
  });
  return issues;
}

function resolveConnection(
  url: unknown,
  knex: Knex | undefined,
  issues: ConfigurationIssue[],
): Pick<SqlSinkSettings, 'dialect' | 'target' | 'identity'> | undefined {
  let target: ConnectionTarget | undefined;
  if (url !== undefined || knex === undefined) {
    const result = parseSecretUrl(url);
    if ('message' in result) {
      issues.push({ path: 'url', message: result.message });
      return undefined;
    }
    target = result;
  }
  const injected = knex === undefined ? undefined : dialectOfKnex(knex);
  if (knex !== undefined && injected === undefined) {
    issues.push({
      path: 'knex',
      message: 'the injected knex instance uses an unsupported client (pg, mysql2 or better-sqlite3)',
    });
    return undefined;
  }
  const dialect = injected ?? (target as ConnectionTarget).dialect;
  if (target !== undefined && target.dialect !== dialect) {
    issues.push({ path: 'url', message: `is a ${target.dialect} URL but the injected knex instance is ${dialect}` });
    return undefined;
  }
  return { dialect, target, identity: `${SQL_DATABASE_SINK_TYPE}:${target?.identity ?? `${dialect}:injected`}` };
}

/**
 * The connection secret's `url` parsed, or what is wrong with it (no secret in the message): absent or empty,
 * not a URL, no host, an unsupported scheme.
 */
export function parseSecretUrl(url: unknown): ConnectionTarget | { readonly message: string } {
  if (typeof url !== 'string' || url === '') {
    return { message: 'the connection secret must provide a non-empty "url" (postgres://…, mysql://…, sqlite:<path>)' };
  }
  const result = parseConnectionUrl(url);
  return 'problem' in result ? { message: `the connection secret's url ${result.problem}` } : result;
}

/** The dialect of a knex instance, from its client name. */
export function dialectOfKnex(knex: Knex): SqlDialectName | undefined {
  const client = (knex.client as { config?: { client?: unknown } }).config?.client;
  const name = typeof client === 'string' ? client : '';
  if (name === 'pg' || name === 'postgres' || name === 'postgresql') return 'postgres';
  if (name === 'mysql2' || name === 'mysql') return 'mysql';
  if (name === 'better-sqlite3') return 'sqlite';
  return undefined;
}

function configurationError(config: SinkConfig, issues: readonly ConfigurationIssue[]): SinkConfigurationError {
  return new SinkConfigurationError(`invalid ${SQL_DATABASE_SINK_TYPE} destination "${config.name}"`, {
    issues,
    sinkType: SQL_DATABASE_SINK_TYPE,
    destination: config.name,
  });
}
