import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import { copyTextChunks } from '../encode/copy-text-encoder.js';
import { sqliteValueReader, type SqliteValue } from '../encode/sql-literals.js';
import { quoteIdentifier, quoteQualified } from '../identifiers.js';
import { AttemptFailure } from '../internal/attempt-failure.js';
import type { WriteRequest } from './sql-dialect.js';

/** Rows between yields to the event loop (the transaction stays open: the connection is ours alone). */
const ROWS_PER_SLICE = 20_000;

/**
 * One SQLite transaction (`BEGIN IMMEDIATE`) running a prepared `INSERT` (with `ON CONFLICT (key) DO
 * UPDATE` for a merge) per row, values bound exactly (64-bit integers as BigInt). A failing row is the
 * suspect. Returns the rows in COPY text form as the payload (what was bound, for the receipt's checksum).
 */
export async function sqliteWrite(db: Database, request: WriteRequest): Promise<Buffer[]> {
  const q = (name: string): string => quoteIdentifier(name, 'double');
  const names = request.columns.map((column) => q(column.name));
  let sql = `INSERT INTO ${quoteQualified(request.table, 'double')} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
  if (request.upsertKey !== undefined) {
    const key = request.upsertKey.map(q);
    const updates = names.filter((name) => !key.includes(name)).map((name) => `${name} = excluded.${name}`);
    sql += ` ON CONFLICT (${key.join(', ')}) ${updates.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updates.join(', ')}`}`;
  }
  const statement = db.prepare(sql);
  const readers = request.columns.map((column) => sqliteValueReader(column.data, column.kind));
  const values: SqliteValue[] = new Array<SqliteValue>(readers.length);
  const { rows } = request;
  db.exec('BEGIN IMMEDIATE');
  try {
    for (let r = 0; r < rows.length; r++) {
      if (r > 0 && r % ROWS_PER_SLICE === 0) {
        await yieldToLoop();
        request.signal.throwIfAborted();
      }
      const index = rows[r] as number;
      for (let c = 0; c < readers.length; c++) values[c] = (readers[c] as (index: number) => SqliteValue)(index);
      try {
        statement.run(values);
      } catch (error) {
        throw new AttemptFailure(error, [r, r + 1]);
      }
    }
    for (const statement of request.ledgerRejects ?? []) db.prepare(statement.sql).run(...statement.bindings);
    if (request.ledger !== undefined) db.prepare(request.ledger.sql).run(...request.ledger.bindings);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return [...copyTextChunks(request.columns, rows)];
}
