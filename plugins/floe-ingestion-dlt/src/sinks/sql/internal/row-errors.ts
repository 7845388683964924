import type { SqlDialectName } from '../connection-url.js';
import { sanitizeErrorMessage } from '../../../errors/index.js';
import { isMysqlRowError } from '../dialects/mysql-errors.js';
import { isPostgresRowError } from '../dialects/postgres-errors.js';
import { isSqliteRowError } from '../dialects/sqlite-errors.js';
import { driverError } from './attempt-failure.js';
import { isRowTooLargeError } from '../../../errors/row-too-large-error.js';

/**
 * True when a failed write is the data's fault (a value that does not fit, a NOT NULL or unique or check
 * violation, a row too large for one statement): such a batch is split to isolate the bad rows instead of failing every row. Connection,
 * permission and schema errors are not row errors.
 */
export function isRowDataError(error: unknown, dialect: SqlDialectName): boolean {
  const record = driverError(error) as Record<string, unknown> | null;
  if (typeof record !== 'object' || record === null) return false;
  if (isRowTooLargeError(record)) return true;
  const code = typeof record.code === 'string' ? record.code : '';
  if (dialect === 'postgres') return isPostgresRowError(code);
  if (dialect === 'mysql') return typeof record.errno === 'number' && isMysqlRowError(record.errno);
  return isSqliteRowError(code) || record.name === 'RangeError';
}

/**
 * Why the database refused a row, without secrets and without row contents (PostgreSQL's "Failing row
 * contains (…)" detail is dropped; its "Key (…)=(…)" detail is kept), with the SQLSTATE / errno / code.
 */
export function rowErrorMessage(error: unknown, secrets: readonly string[]): string {
  const record = (driverError(error) ?? {}) as Record<string, unknown>;
  const message = typeof record.message === 'string' ? record.message : String(record);
  const detail = typeof record.detail === 'string' && record.detail.startsWith('Key (') ? ` (${record.detail})` : '';
  const code =
    typeof record.errno === 'number' && typeof record.sqlState === 'string'
      ? ` [errno ${record.errno}]`
      : typeof record.code === 'string'
        ? ` [${record.code}]`
        : '';
  return sanitizeErrorMessage(`${message.split('\n')[0] ?? message}${detail}${code}`, secrets);
}
