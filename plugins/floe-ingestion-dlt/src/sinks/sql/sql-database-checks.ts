import { KEYED_SYNC_MODES, type PlannedSync, type SinkCheckInput, type SinkCheckIssue } from '@floe/core';
import type { ConfigurationIssue } from '../../errors/index.js';
import type { WriteDisposition } from './config-schema.js';
import { caseClashIssues, columnNameProblem, primaryKeyColumnIssues } from './plan-columns.js';
import {
  concurrencyIssues,
  DEFAULT_CONCURRENCY,
  parseSecretUrl,
  primaryKeyIssues,
  softDeleteColumnIssues,
  tableIssues,
} from './sql-sink-settings.js';

/**
 * What a `sql_database` destination would refuse before its first row, from what is known: the config
 * (table name, merge key), the sync (a keyed mode needs a key: the sync's `primary_key`, or `config.primary_key`;
 * `on_delete: archive` needs `config.soft_delete_column`), the secret's `url` when resolved (host, scheme,
 * SQLite's single writer) and the columns after field mapping when the source was read (names, merge key
 * present, the soft-delete column not one of them). The same rules the sink
 * applies when it is created ({@link resolveSqlSinkSettings}) and when it plans the table ({@link planColumns}),
 * so the messages are the sink's own.
 *
 * @example
 * ```ts
 * checkSqlDatabase({ config: { table: 't', write_disposition: 'merge' }, disposition: 'merge' });
 * // [{ path: 'config.primary_key', message: 'is required for write_disposition merge (the upsert key)' }]
 * ```
 */
export function checkSqlDatabase(input: SinkCheckInput): SinkCheckIssue[] {
  const { config } = input;
  const issues: ConfigurationIssue[] = [];
  const primaryKey = primaryKeyOf(config.primary_key);
  if (typeof config.table === 'string') issues.push(...tableIssues(config.table));
  issues.push(...primaryKeyIssues(primaryKey, input.disposition as WriteDisposition));
  const softDelete = typeof config.soft_delete_column === 'string' ? config.soft_delete_column : undefined;
  issues.push(...softDeleteColumnIssues(softDelete, primaryKey));
  if (input.sync !== undefined) issues.push(...syncIssues(input.sync, primaryKey, softDelete));
  if (input.connection !== undefined) issues.push(...connectionIssues(config, input.connection));
  if (input.columns !== undefined) {
    issues.push(...columnIssues(input.columns, primaryKey));
    if (softDelete !== undefined && input.columns.includes(softDelete))
      issues.push({
        path: 'config.soft_delete_column',
        message: `"${softDelete}" is a column of the data (after field mapping): name a column of its own, e.g. deleted_at`,
      });
  }
  return issues;
}

/**
 * A keyed sync mode needs the record's identity: the sync's `primary_key` (source names, given by the host) or
 * `config.primary_key` (destination names, as for `write_disposition: merge`); archiving needs the column it sets.
 */
function syncIssues(
  sync: PlannedSync,
  primaryKey: readonly string[],
  softDelete: string | undefined,
): ConfigurationIssue[] {
  const issues: ConfigurationIssue[] = [];
  // `write_disposition: merge` without a key is reported by `primaryKeyIssues` already.
  const keyed = KEYED_SYNC_MODES.includes(sync.mode) && sync.from !== 'write_disposition';
  if (keyed && sync.primaryKey.length === 0 && primaryKey.length === 0)
    issues.push({
      path: 'primary_key',
      message: `is required by sync mode "${sync.mode}": name the record's identity, e.g. primary_key: [customer_id]`,
    });
  if (sync.mode === 'mirror' && sync.onDelete === 'archive' && softDelete === undefined)
    issues.push({
      path: 'config.soft_delete_column',
      message:
        'is required by sync on_delete: archive (the timestamp column set instead of deleting): add e.g. soft_delete_column: deleted_at',
    });
  return issues;
}

function connectionIssues(
  config: Readonly<Record<string, unknown>>,
  connection: Readonly<Record<string, string>>,
): ConfigurationIssue[] {
  const target = parseSecretUrl(connection.url);
  if ('message' in target) return [{ path: 'connection_secret_ref', message: target.message }];
  const concurrency = typeof config.max_concurrency === 'number' ? config.max_concurrency : DEFAULT_CONCURRENCY;
  return concurrencyIssues(target.dialect, concurrency);
}

/** Column problems are the source's (renamed with field_mapping): reported at `source_table`. */
function columnIssues(columns: readonly string[], primaryKey: readonly string[]): ConfigurationIssue[] {
  const names: ConfigurationIssue[] = [];
  for (const column of columns) {
    const problem = columnNameProblem(column);
    if (problem !== undefined) names.push({ path: 'source_table', message: problem });
  }
  const clashes = caseClashIssues(columns).map((issue) => ({ path: 'source_table', message: issue.message }));
  return [...names, ...clashes, ...primaryKeyColumnIssues(columns, primaryKey)];
}

function primaryKeyOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((key): key is string => typeof key === 'string') : [];
}
