import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import { copyTextChunks } from '../encode/copy-text-encoder.js';
import { sqliteValueReader, type SqliteValue } from '../encode/sql-literals.js';
import { quoteIdentifier, quoteQualified } from '../identifiers.js';
import { AttemptFailure } from '../internal/attempt-failure.js';
import { isRowDataError } from '../internal/row-errors.js';
import { IsolationPace } from '../internal/isolation-pace.js';
import type { RefusedRow, WriteRequest } from './sql-dialect.js';

/** Rows between yields to the event loop (the transaction stays open: the connection is ours alone). */
const ROWS_PER_SLICE = 20_000;

/**
 * One SQLite transaction (`BEGIN IMMEDIATE`) running a prepared `INSERT` (with `ON CONFLICT (key) DO
 * UPDATE` for a merge) per row, values bound exactly (64-bit integers as BigInt). A failing row is the
 * suspect (or, isolating, is left out under its savepoint). Returns the rows in COPY text form as the payload (what was bound, for the receipt's checksum).
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
  // Isolating (see `WriteRequest.isolate`): each row under a savepoint, a row refused for its values rolled back alone.
  const isolating = request.isolate !== undefined;
  const refused: RefusedRow[] = [];
  const savepoint = db.prepare('SAVEPOINT floe_row');
  const rollbackTo = db.prepare('ROLLBACK TO floe_row');
  const release = db.prepare('RELEASE floe_row');
  db.exec('BEGIN IMMEDIATE');
  const pace = isolating ? new IsolationPace(rows.length, request.onIsolating) : undefined;
  try {
    for (let r = 0; r < rows.length; r++) {
      if (r > 0 && r % ROWS_PER_SLICE === 0) {
        await yieldToLoop();
        request.signal.throwIfAborted();
      }
      const index = rows[r] as number;
      for (let c = 0; c < readers.length; c++) values[c] = (readers[c] as (index: number) => SqliteValue)(index);
      if (isolating) {
        savepoint.run();
        try {
          statement.run(values);
        } catch (error) {
          if (!isRowDataError(error, 'sqlite') || !db.inTransaction) throw error;
          rollbackTo.run();
          refused.push({ position: r, error: error as Error });
        }
        release.run();
        pace?.checked(r + 1, refused.length);
        continue;
      }
      try {
        statement.run(values);
      } catch (error) {
        throw new AttemptFailure(error, [r, r + 1]);
      }
    }
    let { ledger, ledgerRejects } = request;
    if (request.isolate !== undefined) ({ ledger, ledgerRejects } = await request.isolate(refused));
    for (const statement of ledgerRejects ?? []) db.prepare(statement.sql).run(...statement.bindings);
    if (ledger !== undefined) db.prepare(ledger.sql).run(...ledger.bindings);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return [...copyTextChunks(request.columns, rows)];
}
