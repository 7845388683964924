import type { ColumnKind } from '../column-kind.js';
import type { SqlDialectName } from '../connection-url.js';
import { int64Reader } from '../../../internal/arrow-values/int64-reader.js';
import { isPresent, validityOf } from '../../../internal/arrow-values/validity.js';
import type { EncodedColumn } from './copy-text-encoder.js';

/** A column with its destination-side name, for messages. */
export interface NamedColumn extends EncodedColumn {
  readonly name: string;
}

/**
 * Rows holding a value the dialect cannot store exactly, which would otherwise be changed silently:
 * sub-microsecond timestamps and times for PostgreSQL and MySQL/MariaDB (microsecond columns), NaN and
 * ±Infinity for MySQL/MariaDB, NaN for SQLite (it would become NULL). Returns row index → reason; such
 * rows are reported as rejected and never sent.
 */
export function findUnrepresentable(
  columns: readonly NamedColumn[],
  dialect: SqlDialectName,
  rows: ArrayLike<number>,
): Map<number, string> {
  const found = new Map<number, string>();
  for (const column of columns) {
    const test = unrepresentableTest(column.kind, dialect, column);
    if (test === undefined) continue;
    const bitmap = validityOf(column.data);
    const { offset } = column.data;
    for (let r = 0; r < rows.length; r++) {
      const index = rows[r] as number;
      if (found.has(index) || !isPresent(bitmap, offset, index)) continue;
      const reason = test(index);
      if (reason !== undefined) found.set(index, `column "${column.name}": ${reason}`);
    }
  }
  return found;
}

function unrepresentableTest(
  kind: ColumnKind,
  dialect: SqlDialectName,
  column: EncodedColumn,
): ((index: number) => string | undefined) | undefined {
  const values = column.data.values as unknown;
  if (column.data.dictionary !== undefined) return undefined;
  if ((kind.kind === 'timestamp' || kind.kind === 'time') && kind.unit === 3 && dialect !== 'sqlite') {
    const read = int64Reader(values as BigInt64Array);
    return (index) => {
      const v = read(index);
      const rem = typeof v === 'number' ? v % 1000 : Number(v % 1000n);
      return rem === 0 ? undefined : `value ${String(v)} ns has sub-microsecond precision the column cannot hold`;
    };
  }
  if (kind.kind === 'float' && kind.bits > 16 && dialect !== 'postgres') {
    const floats = values as Float64Array;
    return (index) => {
      const v = floats[index] as number;
      if (Number.isNaN(v))
        return `NaN cannot be stored in ${dialect === 'mysql' ? 'MySQL/MariaDB' : 'SQLite (it would become NULL)'}`;
      if (dialect === 'mysql' && !Number.isFinite(v)) return `${v} cannot be stored in MySQL/MariaDB`;
      return undefined;
    };
  }
  return undefined;
}
