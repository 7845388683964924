import type { ColumnKind } from './column-kind.js';
import type { SqlDialectName } from './connection-url.js';

/** MySQL / MariaDB DECIMAL limits. */
const MYSQL_MAX_PRECISION = 65;
const MYSQL_MAX_SCALE = 30;

/**
 * The column type the sink creates for an Arrow column, per dialect:
 *
 * | Arrow | PostgreSQL | MySQL / MariaDB | SQLite |
 * |---|---|---|---|
 * | int8 / int16 | smallint | tinyint / smallint | INTEGER |
 * | int32 / int64 | integer / bigint | int / bigint | INTEGER |
 * | uint8 / uint16 / uint32 | smallint / integer / bigint | tinyint / smallint / int unsigned | INTEGER |
 * | uint64 | numeric(20,0) | bigint unsigned | TEXT (exact digits) |
 * | float16 / float32 / float64 | real / real / double precision | float / float / double | REAL |
 * | decimal(p,s) | numeric(p,s) | decimal(p,s) (p ≤ 65, s ≤ 30) | TEXT (exact digits) |
 * | bool | boolean | tinyint(1) | INTEGER (0/1) |
 * | utf8 | text | longtext (varchar(255) in a key) | TEXT |
 * | binary | bytea | longblob (varbinary(255) in a key) | BLOB |
 * | date | date | date | TEXT `YYYY-MM-DD` |
 * | timestamp with zone | timestamp with time zone | datetime(6), UTC | TEXT ISO 8601 `…Z` |
 * | timestamp without zone | timestamp without time zone | datetime(6) | TEXT ISO 8601 |
 * | time | time without time zone | time(6) | TEXT |
 * | list / struct / map | jsonb | json | TEXT (JSON) |
 * | null | text | longtext | TEXT |
 *
 * Returns a string starting with `!` when the dialect cannot hold the type.
 */
export function sqlTypeFor(dialect: SqlDialectName, kind: ColumnKind, inKey = false): string {
  if (dialect === 'postgres') return postgresType(kind);
  if (dialect === 'mysql') return mysqlType(kind, inKey);
  return sqliteType(kind);
}

function postgresType(kind: ColumnKind): string {
  switch (kind.kind) {
    case 'int':
      if (kind.bits === 64 && !kind.signed) return 'numeric(20,0)';
      return PG_INTS[Math.min(64, kind.signed ? kind.bits : kind.bits * 2) as 16 | 32 | 64] ?? 'smallint';
    case 'float':
      return kind.bits === 64 ? 'double precision' : 'real';
    case 'decimal':
      return `numeric(${kind.precision},${kind.scale})`;
    case 'bool':
      return 'boolean';
    case 'utf8':
    case 'null':
      return 'text';
    case 'binary':
      return 'bytea';
    case 'date':
      return 'date';
    case 'timestamp':
      return kind.timezone === undefined ? 'timestamp without time zone' : 'timestamp with time zone';
    case 'time':
      return 'time without time zone';
    case 'json':
      return 'jsonb';
  }
}

const PG_INTS: Partial<Record<number, string>> = { 8: 'smallint', 16: 'smallint', 32: 'integer', 64: 'bigint' };

const MYSQL_INTS: Record<number, string> = { 8: 'tinyint', 16: 'smallint', 32: 'int', 64: 'bigint' };

function mysqlType(kind: ColumnKind, inKey: boolean): string {
  switch (kind.kind) {
    case 'int':
      return `${MYSQL_INTS[kind.bits] ?? 'bigint'}${kind.signed ? '' : ' unsigned'}`;
    case 'float':
      return kind.bits === 64 ? 'double' : 'float';
    case 'decimal':
      if (kind.precision > MYSQL_MAX_PRECISION || kind.scale > MYSQL_MAX_SCALE) {
        return `!decimal(${kind.precision},${kind.scale}) exceeds MySQL/MariaDB DECIMAL(${MYSQL_MAX_PRECISION},${MYSQL_MAX_SCALE})`;
      }
      return `decimal(${kind.precision},${kind.scale})`;
    case 'bool':
      return 'tinyint(1)';
    case 'utf8':
    case 'null':
      return inKey ? 'varchar(255)' : 'longtext';
    case 'binary':
      return inKey ? 'varbinary(255)' : 'longblob';
    case 'date':
      return 'date';
    case 'timestamp':
      return 'datetime(6)';
    case 'time':
      return 'time(6)';
    case 'json':
      return inKey ? '!a list/struct/map column cannot be part of a MySQL/MariaDB key' : 'json';
  }
}

function sqliteType(kind: ColumnKind): string {
  switch (kind.kind) {
    case 'int':
      return kind.bits === 64 && !kind.signed ? 'TEXT' : 'INTEGER';
    case 'bool':
      return 'INTEGER';
    case 'float':
      return 'REAL';
    case 'binary':
      return 'BLOB';
    default:
      return 'TEXT';
  }
}
