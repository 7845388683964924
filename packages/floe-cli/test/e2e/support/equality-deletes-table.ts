import { join } from 'node:path';
import { FIXTURES } from '../helpers.js';
import type { TextRow } from './sync-model.js';

/**
 * A real table's history, from its own metadata versions (duckdb-iceberg's `equality_deletes` fixture): v1 has
 * no snapshot, v2 appends 4 rows, v4 and v5 delete rows with equality deletes, v6 appends, v7 deletes again
 * (v3's manifest list is missing from the fixture: it is skipped).
 */
export const EQUALITY_DELETES_TABLE = join(FIXTURES, 'duckdb-iceberg/equality_deletes/warehouse/mydb/mytable');

/** The fixture's readable metadata versions, in history order. */
export const EQUALITY_DELETES_VERSIONS = [1, 2, 4, 5, 6, 7] as const;

/** The metadata file of `version`: a source_table that reads the table as of that version. */
export const versionMetadata = (version: number): string =>
  join(EQUALITY_DELETES_TABLE, 'metadata', `v${version}.metadata.json`);

/** A date as `YYYY-MM-DD` whatever form a database, an API or the reader gives it. */
export function day(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return new Date(value).toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/** A row of the fixture (`id`, `name`, `bir`) as comparable text. */
export function fixtureTextRow(row: Record<string, unknown>): TextRow {
  return {
    id: row.id === null || row.id === undefined ? null : String(row.id),
    name: row.name === null || row.name === undefined ? null : String(row.name),
    bir: day(row.bir),
  };
}
