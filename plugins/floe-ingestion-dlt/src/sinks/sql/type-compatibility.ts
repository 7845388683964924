import type { ColumnKind } from './column-kind.js';
import type { SqlDialectName } from './connection-url.js';
import { sqlTypeFor } from './type-mapping.js';

/** Decimal digits an integer kind needs. */
function intDigits(kind: { bits: number; signed: boolean }): number {
  const digits: Record<number, number> = { 8: 3, 16: 5, 32: 10, 64: kind.signed ? 19 : 20 };
  return digits[kind.bits] ?? 20;
}

/** Magnitude bits an integer kind needs in a signed column (uint32 needs a 64-bit signed column). */
function signedBitsNeeded(kind: { bits: number; signed: boolean }): number {
  return kind.signed ? kind.bits : kind.bits * 2;
}

/** `numeric(p,s)` / `decimal(p,s)` / bare `numeric` → [p, s], `[Infinity, Infinity]` for unconstrained. */
function numericShape(type: string): [number, number] | undefined {
  const match = /^(?:numeric|decimal)(?:\((\d+)(?:,\s*(\d+))?\))?(?: unsigned)?$/.exec(type);
  if (match === null) return undefined;
  if (match[1] === undefined) return [Infinity, Infinity];
  return [Number(match[1]), Number(match[2] ?? '0')];
}

/** True when a numeric column of shape [p, s] holds every value of `kind` exactly. */
function numericHolds(shape: [number, number], kind: ColumnKind): boolean {
  const [p, s] = shape;
  if (kind.kind === 'int') return p - (s === Infinity ? 0 : s) >= intDigits(kind);
  if (kind.kind === 'decimal') return s >= kind.scale && p - (s === Infinity ? 0 : s) >= kind.precision - kind.scale;
  return false;
}

/**
 * Whether an existing column of type `existing` (as the database reports it: PostgreSQL `format_type`,
 * MySQL `COLUMN_TYPE`, SQLite's declared type) holds every value of an incoming Arrow column exactly.
 * Widening is fine (int32 into bigint, decimal(10,2) into numeric(20,4)); anything that could lose or
 * change values is not.
 */
export function isCompatibleColumn(dialect: SqlDialectName, existing: string, kind: ColumnKind): boolean {
  const type = existing.trim().toLowerCase().replace(/\s+/g, ' ');
  if (kind.kind === 'null') return true;
  if (type === sqlTypeFor(dialect, kind).toLowerCase()) return true;
  if (dialect === 'postgres') return postgresCompatible(type, kind);
  if (dialect === 'mysql') return mysqlCompatible(type, kind);
  return sqliteCompatible(type, kind);
}

const PG_INT_BITS: Record<string, number> = { smallint: 16, integer: 32, bigint: 64 };

function postgresCompatible(type: string, kind: ColumnKind): boolean {
  const shape = numericShape(type);
  switch (kind.kind) {
    case 'int': {
      const bits = PG_INT_BITS[type];
      return bits !== undefined ? bits >= signedBitsNeeded(kind) : shape !== undefined && numericHolds(shape, kind);
    }
    case 'decimal':
      return shape !== undefined && numericHolds(shape, kind);
    case 'float':
      return type === 'double precision' || (kind.bits < 64 && type === 'real');
    case 'utf8':
      return type === 'text' || /^(character varying|character|varchar|char|bpchar)(\(\d+\))?$/.test(type);
    case 'timestamp':
      return new RegExp(`^timestamp(\\(6\\))? with${kind.timezone === undefined ? 'out' : ''} time zone$`).test(type);
    case 'time':
      return /^time(\(6\))? without time zone$/.test(type);
    case 'json':
      return type === 'jsonb' || type === 'json';
    default:
      return false;
  }
}

const MYSQL_INT_BITS: Record<string, number> = {
  tinyint: 8,
  smallint: 16,
  mediumint: 24,
  int: 32,
  integer: 32,
  bigint: 64,
};

function mysqlCompatible(type: string, kind: ColumnKind): boolean {
  const intMatch = /^(tinyint|smallint|mediumint|int|integer|bigint)(?:\(\d+\))?( unsigned)?( zerofill)?$/.exec(type);
  const shape = numericShape(type);
  switch (kind.kind) {
    case 'int': {
      if (intMatch === null)
        return shape !== undefined && (!kind.signed || !type.endsWith('unsigned')) && numericHolds(shape, kind);
      const bits = MYSQL_INT_BITS[intMatch[1] as string] ?? 0;
      const unsignedColumn = intMatch[2] !== undefined;
      if (unsignedColumn) return !kind.signed && bits >= kind.bits;
      return bits >= signedBitsNeeded(kind);
    }
    case 'bool':
      return intMatch !== null || type === 'bit(1)';
    case 'decimal':
      return shape !== undefined && !type.endsWith('unsigned') && numericHolds(shape, kind);
    case 'float':
      return type === 'double' || type === 'double precision' || (kind.bits < 64 && type === 'float');
    case 'utf8':
      return /^((var)?char\(\d+\)|tinytext|text|mediumtext|longtext)$/.test(type);
    case 'binary':
      return /^((var)?binary\(\d+\)|tinyblob|blob|mediumblob|longblob)$/.test(type);
    case 'timestamp':
      return type === 'datetime(6)' || type === 'timestamp(6)';
    case 'time':
      return type === 'time(6)';
    case 'json':
      return type === 'json' || type === 'longtext' || type === 'mediumtext' || type === 'text';
    default:
      return false;
  }
}

/** SQLite's column affinity for a declared type (https://sqlite.org/datatype3.html §3.1). */
export function sqliteAffinity(declared: string): 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC' {
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'INTEGER';
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return 'TEXT';
  if (type.includes('BLOB') || type.trim() === '') return 'BLOB';
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

function sqliteCompatible(type: string, kind: ColumnKind): boolean {
  const affinity = sqliteAffinity(type);
  if (affinity === 'BLOB') return true; // no affinity: values are stored exactly as bound
  switch (kind.kind) {
    case 'int':
      if (kind.bits === 64 && !kind.signed) return affinity === 'TEXT';
      return affinity === 'INTEGER' || affinity === 'NUMERIC';
    case 'bool':
      return affinity === 'INTEGER' || affinity === 'NUMERIC';
    case 'float':
      return affinity === 'REAL' || affinity === 'NUMERIC';
    case 'binary':
      return false;
    default:
      return affinity === 'TEXT';
  }
}
