import type { Data } from 'apache-arrow';
import type { ColumnKind } from '../column-kind.js';
import { bytesReader } from '../../../internal/arrow-values/bytes-reader.js';
import { isPresent, validityOf } from '../../../internal/arrow-values/validity.js';
import { textReader } from './text-reader.js';

/** Writes value `index` of a column as a MySQL/MariaDB SQL literal (`NULL`, `42`, `'text'`, `X'00ff'`). */
export type LiteralReader = (index: number) => string;

const MYSQL_ESCAPES: Record<string, string> = {
  '\0': '\\0',
  '\n': '\\n',
  '\r': '\\r',
  '\x1a': '\\Z',
  "'": "\\'",
  '\\': '\\\\',
};

// eslint-disable-next-line no-control-regex -- NUL and Ctrl-Z are exactly what MySQL string literals must escape
const MYSQL_SPECIALS = /[\0\n\r\x1a'\\]/g;

/** A MySQL string literal (backslash escapes; the session never sets `NO_BACKSLASH_ESCAPES`). */
export function mysqlString(text: string): string {
  MYSQL_SPECIALS.lastIndex = 0;
  if (!MYSQL_SPECIALS.test(text)) return `'${text}'`;
  return `'${text.replace(MYSQL_SPECIALS, (c) => MYSQL_ESCAPES[c] as string)}'`;
}

/**
 * Reads a column as MySQL/MariaDB literals, exactly: integers and decimals as their digits (never through a
 * JS number), booleans as `TRUE`/`FALSE`, binary as `X'…'`, timestamps as `'YYYY-MM-DD HH:MM:SS.ffffff'`
 * in UTC, nested values as JSON text. Non-finite floats are rejected before encoding.
 */
export function mysqlLiteralReader(data: Data, kind: ColumnKind): LiteralReader {
  if (kind.kind === 'binary') {
    const bytes = bytesReader(data);
    const bitmap = validityOf(data);
    const { offset } = data;
    return (index) => (isPresent(bitmap, offset, index) ? `X'${Buffer.from(bytes(index)).toString('hex')}'` : 'NULL');
  }
  const text = textReader(data, kind, 'sql');
  if (kind.kind === 'int' || kind.kind === 'decimal' || kind.kind === 'float' || kind.kind === 'bool') {
    return (index) => text(index) ?? 'NULL';
  }
  return (index) => {
    const value = text(index);
    return value === null ? 'NULL' : mysqlString(value);
  };
}

/** A value better-sqlite3 binds as is. */
export type SqliteValue = number | bigint | string | Buffer | null;

/**
 * Reads a column as better-sqlite3 bind values: integers up to 64 bits as numbers or bigints (exact),
 * uint64 and decimals as exact text, booleans 1/0, binary as Buffer, dates and timestamps as ISO 8601 text,
 * nested values as JSON text.
 */
export function sqliteValueReader(data: Data, kind: ColumnKind): (index: number) => SqliteValue {
  const bitmap = validityOf(data);
  const { offset } = data;
  const present = (index: number): boolean => isPresent(bitmap, offset, index);
  if (kind.kind === 'int' && (kind.bits < 64 || kind.signed) && data.dictionary === undefined) {
    const values = data.values as unknown as ArrayLike<number | bigint>;
    return (index) => (present(index) ? (values[index] as number | bigint) : null);
  }
  if (kind.kind === 'float' && kind.bits > 16 && data.dictionary === undefined) {
    const values = data.values as Float64Array;
    return (index) => (present(index) ? (values[index] as number) : null);
  }
  if (kind.kind === 'bool') {
    const values = data.values as Uint8Array;
    return (index) => (present(index) ? (isPresent(values, offset, index) ? 1 : 0) : null);
  }
  if (kind.kind === 'binary') {
    const bytes = bytesReader(data);
    return (index) => (present(index) ? Buffer.from(bytes(index)) : null);
  }
  return textReader(data, kind, 'iso');
}
