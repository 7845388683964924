import { ErrorCategory } from '@floe/core';

// PostgreSQL's SQLSTATE codes, classified in one place (the category, row errors, lost connections).

const PG_CLASSES: Readonly<Record<string, ErrorCategory>> = {
  '08': ErrorCategory.TRANSIENT, // connection exception
  '40': ErrorCategory.TRANSIENT, // transaction rollback (serialization failure, deadlock)
  '53': ErrorCategory.TRANSIENT, // insufficient resources
  '57': ErrorCategory.TRANSIENT, // operator intervention (admin shutdown, query canceled)
  '22': ErrorCategory.PERMANENT, // data exception
  '23': ErrorCategory.PERMANENT, // integrity constraint violation
  '28': ErrorCategory.PERMANENT, // invalid authorization
  '42': ErrorCategory.CONFIGURATION, // syntax error or access rule violation (undefined table/column)
  '3D': ErrorCategory.CONFIGURATION, // invalid catalog name
  '3F': ErrorCategory.CONFIGURATION, // invalid schema name
  '0A': ErrorCategory.CONFIGURATION, // feature not supported
};

/** SQLSTATE classes of errors caused by a row's values: cardinality, data exception, integrity constraint. */
const PG_ROW_CLASSES = new Set(['21', '22', '23']);

/** True when `code` has the shape of a SQLSTATE (five characters, starting with a digit). */
export function isSqlState(code: string): boolean {
  return /^[0-9][0-9A-Z]{4}$/.test(code);
}

/** The category of a SQLSTATE (PostgreSQL, also MySQL's `sqlState`), by its class; `undefined` if unknown. */
export function categorizeSqlState(sqlState: string): ErrorCategory | undefined {
  if (sqlState === '55P03') return ErrorCategory.TRANSIENT; // lock not available
  return PG_CLASSES[sqlState.slice(0, 2)];
}

/** A row's values are at fault (classes 21/22/23, or 54000 "program limit exceeded", e.g. an index row too big). */
export function isPostgresRowError(code: string): boolean {
  return PG_ROW_CLASSES.has(code.slice(0, 2)) || code === '54000';
}

/** The connection is gone: class 08, or 57P01–57P03 (admin / crash shutdown, cannot connect now). */
export function isPostgresConnectionLoss(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
}

/** The statement or its data failed (classes 22, 23, 42) and the session is fine. */
export function isPostgresStatementError(code: string): boolean {
  return /^(22|23|42)[0-9A-Z]{3}$/.test(code);
}
