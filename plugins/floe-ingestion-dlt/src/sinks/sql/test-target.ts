import { existsSync } from 'node:fs';
import { ErrorCategory, SinkConfig, type SinkTargetCheck, type SinkTargetTestOptions } from '@floe/core';
import knexModule, { type Knex } from 'knex';
import { categorizeError, sanitizeErrorMessage } from '../../errors/index.js';
import { createDialect } from './dialects/create-dialect.js';
import type { ExistingTable, SqlDialect } from './dialects/sql-dialect.js';
import { displayName } from './identifiers.js';
import { translateSqlError } from './internal/translate-sql-error.js';
import { resolveSqlSinkSettings, SQL_DATABASE_SINK_TYPE, type SqlSinkSettings } from './sql-sink-settings.js';

/** How long connecting may take before the database counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * `floe destination test` for a `sql_database` destination, strictly read-only: connects with the secret's URL
 * (a pool of one connection, destroyed before returning), then checks that the table exists (or that
 * `create_table: true` will create it) and that it has a column for every mapped source column. Runs only the
 * dialect's catalog queries (`current_schema()`, `information_schema`, `pg_attribute`, `PRAGMA table_info`): no
 * schema, table, ledger or file is created — a SQLite file that does not exist is not opened.
 */
export async function testSqlTarget(
  config: Readonly<Record<string, unknown>>,
  connection: Readonly<Record<string, string>>,
  options: SinkTargetTestOptions,
): Promise<readonly SinkTargetCheck[]> {
  let settings: SqlSinkSettings;
  try {
    settings = resolveSqlSinkSettings(
      new SinkConfig({ sinkType: SQL_DATABASE_SINK_TYPE, connectionConfig: { ...config, ...connection } }),
    );
  } catch (error) {
    return [{ check: 'config', ok: false, message: (error as Error).message, category: ErrorCategory.CONFIGURATION }];
  }
  const target = settings.target;
  if (target === undefined) {
    return [{ check: 'connect', ok: false, message: 'no database URL', category: ErrorCategory.CONFIGURATION }];
  }
  const table = displayName(settings.table);
  const secrets = target.secrets;
  const sqlite = (target.knexConfig.connection as { filename?: string } | undefined)?.filename;
  if (settings.dialect === 'sqlite' && sqlite !== undefined && sqlite !== ':memory:' && !existsSync(sqlite)) {
    // Opening it would create it: the file is missing, and so is the table.
    return [
      { check: 'connect', ok: true, message: `${target.identity}: the file does not exist yet` },
      missingTable(settings, table),
    ];
  }
  const knex: Knex = knexModule.knex({
    ...target.knexConfig,
    ...(settings.dialect !== 'sqlite' && { pool: { min: 0, max: 1 } }),
    acquireConnectionTimeout: CONNECT_TIMEOUT_MS,
    log: { warn: () => undefined, debug: () => undefined, deprecate: () => undefined, error: () => undefined },
  });
  const abort = (): void => void knex.destroy().catch(() => undefined);
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const dialect: SqlDialect = createDialect(settings.dialect, knex, { mariadbScheme: target.mariadbScheme });
    try {
      await dialect.connect();
    } catch (error) {
      const failure = translateSqlError(error, {
        sinkType: SQL_DATABASE_SINK_TYPE,
        destination: SQL_DATABASE_SINK_TYPE,
        action: `cannot connect to ${target.identity}`,
        secrets,
      });
      return [{ check: 'connect', ok: false, message: failure.message, category: failure.category }];
    }
    const checks: SinkTargetCheck[] = [{ check: 'connect', ok: true, message: `connected to ${target.identity}` }];
    let existing: ExistingTable | undefined;
    try {
      existing = await dialect.describe(settings.table);
    } catch (error) {
      const category = categorizeError(error);
      const message = sanitizeErrorMessage(`cannot describe table ${table}: ${(error as Error).message}`, secrets);
      checks.push({ check: 'table', ok: false, message, category });
      return checks;
    }
    if (existing === undefined) {
      checks.push(missingTable(settings, table));
      return checks;
    }
    checks.push({ check: 'table', ok: true, message: `table ${table} exists (${existing.columns.length} columns)` });
    if (options.columns !== undefined) checks.push(columnsCheck(settings, table, existing, options.columns));
    return checks;
  } finally {
    options.signal?.removeEventListener('abort', abort);
    await knex.destroy().catch(() => undefined);
  }
}

function missingTable(settings: SqlSinkSettings, table: string): SinkTargetCheck {
  if (settings.createTable) {
    return { check: 'table', ok: true, message: `table ${table} does not exist: the first run creates it` };
  }
  return {
    check: 'table',
    ok: false,
    message: `table ${table} does not exist and create_table is false: create it, or set create_table: true`,
    category: ErrorCategory.CONFIGURATION,
  };
}

/**
 * Every mapped column has a column in the table (MySQL compares names without case, as it does); a missing one
 * is fine when `create_table: true` (the run adds it).
 */
function columnsCheck(
  settings: SqlSinkSettings,
  table: string,
  existing: ExistingTable,
  columns: readonly string[],
): SinkTargetCheck {
  const fold = settings.dialect === 'mysql' ? (name: string) => name.toLowerCase() : (name: string) => name;
  const have = new Set(existing.columns.map((column) => fold(column.name)));
  const missing = columns.filter((column) => !have.has(fold(column)));
  if (missing.length === 0) {
    return { check: 'columns', ok: true, message: `${table} has all ${columns.length} mapped columns` };
  }
  const list = missing.join(', ');
  if (settings.createTable) {
    return { check: 'columns', ok: true, message: `${table} lacks ${list}: the first run adds them (create_table)` };
  }
  return {
    check: 'columns',
    ok: false,
    message: `${table} has no column ${list} and create_table is false: add them, map them elsewhere with field_mapping, or set create_table: true`,
    category: ErrorCategory.CONFIGURATION,
  };
}
