import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import { copyTextChunks } from '../encode/copy-text-encoder.js';
import { sqliteValueReader, type SqliteValue } from '../encode/sql-literals.js';
import { quoteIdentifier, quoteQualified } from '../identifiers.js';
import { AttemptFailure } from '../internal/attempt-failure.js';
import { isRowDataError } from '../internal/row-errors.js';
import { IsolationPace } from '../internal/isolation-pace.js';
import { OP_DELETE, OP_UPDATE, OP_UPSERT, type RefusedRow, type SyncOps, type WriteRequest } from './sql-dialect.js';

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
  const insert = `INSERT INTO ${quoteQualified(request.table, 'double')} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
  const upsert = (upsertKey: readonly string[]): string => {
    const key = upsertKey.map(q);
    const updates = names.filter((name) => !key.includes(name)).map((name) => `${name} = excluded.${name}`);
    return `${insert} ON CONFLICT (${key.join(', ')}) ${updates.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updates.join(', ')}`}`;
  };
  const { sync } = request;
  const statement = db.prepare(
    request.upsertKey === undefined || sync !== undefined ? insert : upsert(request.upsertKey),
  );
  // Without a key (append) every change row is an insert.
  const changeRow =
    sync === undefined || sync.key.length === 0 ? undefined : sqliteSyncRow(db, request, sync, names, upsert(sync.key));
  let skipped = 0;
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
          if (changeRow === undefined) statement.run(values);
          else if (!changeRow(index, values)) skipped += 1;
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
        if (changeRow === undefined) statement.run(values);
        else if (!changeRow(index, values)) skipped += 1;
      } catch (error) {
        throw new AttemptFailure(error, [r, r + 1]);
      }
    }
    sync?.onSkipped(skipped);
    let { ledger, ledgerRejects, inTransaction } = request;
    if (request.isolate !== undefined) ({ ledger, ledgerRejects, inTransaction } = await request.isolate(refused));
    await inTransaction?.(db);
    for (const statement of ledgerRejects ?? []) db.prepare(statement.sql).run(...statement.bindings);
    if (ledger !== undefined) db.prepare(ledger.sql).run(...ledger.bindings);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return [...copyTextChunks(request.columns, rows)];
}

/**
 * Applies one change row (its values read into `values`, in column order) with the prepared statement of its op:
 * insert, upsert (`ON CONFLICT (key) DO UPDATE`), `UPDATE … WHERE key`, `DELETE … WHERE key` or the archive's
 * `UPDATE … SET soft_delete_column`. Returns false for an update that found no record (skipped).
 */
function sqliteSyncRow(
  db: Database,
  request: WriteRequest,
  sync: SyncOps,
  names: readonly string[],
  upsertSql: string,
): (index: number, values: readonly SqliteValue[]) => boolean {
  const q = (name: string): string => quoteIdentifier(name, 'double');
  const target = quoteQualified(request.table, 'double');
  const at = (name: string): number => request.columns.findIndex((column) => column.name === name);
  const keyAt = sync.key.map(at);
  const where = sync.key.map((name) => `${q(name)} = ?`).join(' AND ');
  const setAt = names.flatMap((_name, c) => (keyAt.includes(c) ? [] : [c]));
  const assignments =
    setAt.length === 0
      ? `${q(sync.key[0] as string)} = ${q(sync.key[0] as string)}`
      : setAt.map((c) => `${names[c]} = ?`).join(', ');
  const insert = db.prepare(`INSERT INTO ${target} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
  const upsert = db.prepare(upsertSql);
  const update = db.prepare(`UPDATE ${target} SET ${assignments} WHERE ${where}`);
  const soft = sync.softDeleteColumn;
  const softAt = soft === undefined ? -1 : at(soft);
  const remove = db.prepare(
    soft === undefined ? `DELETE FROM ${target} WHERE ${where}` : `UPDATE ${target} SET ${q(soft)} = ? WHERE ${where}`,
  );
  const pick = (values: readonly SqliteValue[], indexes: readonly number[]): SqliteValue[] =>
    indexes.map((c) => values[c] as SqliteValue);
  return (index, values) => {
    const op = sync.ops[index];
    if (op === OP_UPDATE) return update.run(...pick(values, [...setAt, ...keyAt])).changes > 0;
    if (op === OP_DELETE) remove.run(...pick(values, softAt < 0 ? keyAt : [softAt, ...keyAt]));
    else if (op === OP_UPSERT) upsert.run(values);
    else insert.run(values);
    return true;
  };
}
