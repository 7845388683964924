import { ErrorCategory } from '@floe/core';

// MySQL/MariaDB errnos and mysql2's codes, classified in one place.

const MYSQL_ERRNOS: ReadonlyMap<number, ErrorCategory> = new Map([
  ...[1040, 1053, 1205, 1213, 1317, 2002, 2003, 2006, 2013, 2055].map((n) => [n, ErrorCategory.TRANSIENT] as const),
  ...[1048, 1062, 1264, 1292, 1366, 1406, 1451, 1452, 1586].map((n) => [n, ErrorCategory.PERMANENT] as const),
  ...[1044, 1045, 1142].map((n) => [n, ErrorCategory.PERMANENT] as const),
  ...[1049, 1054, 1064, 1146, 1109].map((n) => [n, ErrorCategory.CONFIGURATION] as const),
]);

/** Errors caused by a row's values (not by the table, the session or the server). */
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

/** mysql2's own codes for a connection that went away or stopped answering. */
const MYSQL_TRANSIENT_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT']);

/** The category of a MySQL/MariaDB errno; `undefined` if unknown. */
export function categorizeMysqlErrno(errno: number): ErrorCategory | undefined {
  return MYSQL_ERRNOS.get(errno);
}

/** The category of a mysql2 error code (`PROTOCOL_CONNECTION_LOST` …); `undefined` if unknown. */
export function categorizeMysqlCode(code: string): ErrorCategory | undefined {
  return MYSQL_TRANSIENT_CODES.has(code) ? ErrorCategory.TRANSIENT : undefined;
}

/** A row's values are at fault (NOT NULL, duplicate key, out of range, too long, check …). */
export function isMysqlRowError(errno: number): boolean {
  return MYSQL_ROW_ERRNOS.has(errno);
}

/** mysql2 lost the connection. */
export function isMysqlConnectionLoss(code: string): boolean {
  return code === 'PROTOCOL_CONNECTION_LOST';
}

/** A server error about the statement or its data (errno below 2000; 2000+ are client errors): the session is fine. */
export function isMysqlStatementError(errno: number): boolean {
  return errno > 0 && errno < 2000;
}
