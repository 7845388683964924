import { ErrorCategory } from '@floe/core';

// better-sqlite3's SQLITE_* codes, classified in one place.

/** The category of a `SQLITE_*` code: busy / locked TRANSIENT, a row's values PERMANENT; `undefined` if unknown. */
export function categorizeSqliteCode(code: string): ErrorCategory | undefined {
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return ErrorCategory.TRANSIENT;
  if (isSqliteRowError(code)) return ErrorCategory.PERMANENT;
  return undefined;
}

/** A row's values are at fault (constraint, type mismatch, too big). */
export function isSqliteRowError(code: string): boolean {
  return code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG';
}
