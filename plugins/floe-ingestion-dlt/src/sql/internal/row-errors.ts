import type { SqlDialectName } from '../connection-url.js';
import { sanitizeErrorMessage } from '../../errors/index.js';
import { driverError } from './attempt-failure.js';

/** MySQL/MariaDB errors caused by a row's values (not by the table, the session or the server). */
const MYSQL_ROW_ERRNOS = new Set([
  1048, // column cannot be null
  1062, // duplicate entry
  1263, // null in a NOT NULL column (multi-row)
  1264, // out of range
  1265, // data truncated
  1292, // incorrect datetime / truncated value
  1366, // incorrect integer / string value
  1367, // illegal value
  1406, // data too long
  1411, // incorrect value for function
  1451, // foreign key (parent)
  1452, // foreign key (child)
  1690, // value out of range
  3140, // invalid JSON (MySQL)
  3819, // check constraint (MySQL)
  4025, // check constraint (MariaDB: JSON validity and CHECK)
]);

/** SQLSTATE classes of PostgreSQL errors caused by a row's values. */
const PG_ROW_CLASSES = new Set(['21', '22', '23']);

/**
 * True when a failed write is the data's fault (a value that does not fit, a NOT NULL or unique or check
 * violation): such a batch is split to isolate the bad rows instead of failing every row. Connection,
 * permission and schema errors are not row errors.
 */
export function isRowDataError(error: unknown, dialect: SqlDialectName): boolean {
  const record = driverError(error) as Record<string, unknown> | null;
  if (typeof record !== 'object' || record === null) return false;
  const code = typeof record.code === 'string' ? record.code : '';
  if (dialect === 'postgres') return PG_ROW_CLASSES.has(code.slice(0, 2)) || code === '54000';
  if (dialect === 'mysql') return typeof record.errno === 'number' && MYSQL_ROW_ERRNOS.has(record.errno);
  return (
    code.startsWith('SQLITE_CONSTRAINT') ||
    code === 'SQLITE_MISMATCH' ||
    code === 'SQLITE_TOOBIG' ||
    record.name === 'RangeError'
  );
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
