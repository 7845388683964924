import { createRequire } from 'node:module';
import type { PgTestSchema } from '@floe/test-harness';
import type { TextRow } from './sync-model.js';

/** The slice of better-sqlite3 the sync tests use (the package ships no types here). */
export interface SqliteDatabase {
  prepare(sql: string): { all(...params: unknown[]): unknown[]; run(...params: unknown[]): unknown };
  close(): void;
}

/** better-sqlite3's constructor. */
export const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string,
  options?: { readonly?: boolean },
) => SqliteDatabase;

/** A value as comparable text: numbers in JavaScript's shortest form (so `1.5`, `3` whatever the database gives). */
function text(column: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (column === 'id' || column === 'amount') return String(Number(value));
  return String(value);
}

/** A row of a generated table (or a destination) as text values, `columns` only. */
export function textRowOf(row: Record<string, unknown>, columns: readonly string[]): TextRow {
  return Object.fromEntries(columns.map((column) => [column, text(column, row[column])]));
}

/** The rows of a SQLite table, `columns` only, as text. */
export function sqliteRows(file: string, table: string, columns: readonly string[]): TextRow[] {
  const db = new Database(file, { readonly: true });
  try {
    const list = columns.map((c) => `"${c}"`).join(', ');
    return (db.prepare(`SELECT ${list} FROM "${table}"`).all() as Record<string, unknown>[]).map((row) =>
      textRowOf(row, columns),
    );
  } finally {
    db.close();
  }
}

/** The rows of a PostgreSQL table of the test schema, `columns` only, as text. */
export async function pgRows(pg: PgTestSchema, table: string, columns: readonly string[]): Promise<TextRow[]> {
  const list = columns.map((c) => (c === 'id' ? 'id::text AS id' : c === 'amount' ? 'amount::float8 AS amount' : c));
  const rows = await pg.query<Record<string, unknown>>(`SELECT ${list.join(', ')} FROM "${pg.schema}"."${table}"`);
  return rows.map((row) => textRowOf(row, columns));
}
