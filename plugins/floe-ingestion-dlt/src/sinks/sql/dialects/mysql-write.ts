import { mysqlLiteralReader } from '../encode/sql-literals.js';
import { quoteIdentifier, quoteQualified } from '../identifiers.js';
import { AttemptFailure } from '../internal/attempt-failure.js';
import { RowTooLargeError } from '../../../errors/row-too-large-error.js';
import { CommitUnknownError } from './commit-unknown-error.js';
import { isRowDataError } from '../internal/row-errors.js';
import { IsolationPace } from '../internal/isolation-pace.js';
import type { RefusedRow, WriteRequest } from './sql-dialect.js';

/** The callback API of a mysql2 connection, as knex's pool hands it out. */
export interface MysqlConnection {
  query(options: { sql: string; values?: unknown[] }, callback: (error: Error | null, rows: unknown) => void): void;
}

/** Runs one statement. */
export function mysqlQuery<R = Record<string, unknown>[]>(
  connection: MysqlConnection,
  sql: string,
  values?: unknown[],
): Promise<R> {
  return new Promise((resolve, reject) => {
    connection.query({ sql, ...(values && { values }) }, (error, rows) => (error ? reject(error) : resolve(rows as R)));
  });
}

/** SQL bytes per INSERT statement the writer aims at (a larger row makes a statement of its own). */
const STATEMENT_BYTES = 1 << 20;
/** `max_allowed_packet` when the server did not say (MariaDB's and MySQL 8's default). */
const DEFAULT_MAX_PACKET = 16 << 20;
/** Room left in a packet for the protocol's own bytes. */
const PACKET_SLACK = 1024;
/** Most rows per INSERT statement. */
const STATEMENT_ROWS = 5000;

/**
 * One MySQL/MariaDB transaction of multi-row `INSERT … VALUES (…), (…)` statements (with `ON DUPLICATE
 * KEY UPDATE` for a merge), values written as exact literals from the Arrow buffers. A failing statement
 * makes its rows the suspects (one row when the server says "at row N"). Statements are sized in bytes: none
 * exceeds the server's `max_allowed_packet` (`maxPacket`), and a row that alone would fails the attempt with a
 * {@link RowTooLargeError} naming it, so it is rejected as that row. Returns the SQL bytes sent.
 */
export async function mysqlWrite(
  connection: MysqlConnection,
  request: WriteRequest,
  maxPacket: number = DEFAULT_MAX_PACKET,
): Promise<Buffer[]> {
  const q = (name: string): string => quoteIdentifier(name, 'backtick');
  const names = request.columns.map((column) => q(column.name));
  const head = `INSERT INTO ${quoteQualified(request.table, 'backtick')} (${names.join(', ')}) VALUES `;
  const tail = request.upsertKey === undefined ? '' : upsertClause(names, request.upsertKey.map(q));
  const readers = request.columns.map((column) => mysqlLiteralReader(column.data, column.kind));
  const { rows } = request;
  const frame = Buffer.byteLength(head) + Buffer.byteLength(tail) + PACKET_SLACK;
  const hard = maxPacket - frame;
  const payload: Buffer[] = [];
  await mysqlQuery(connection, 'START TRANSACTION');
  try {
    let { ledger, ledgerRejects } = request;
    if (request.isolate !== undefined) {
      const refused = await isolateRows(connection, request, head, tail, maxPacket, payload);
      ({ ledger, ledgerRejects } = await request.isolate(refused));
    }
    for (let start = request.isolate === undefined ? 0 : rows.length; start < rows.length;) {
      request.signal.throwIfAborted();
      const tuples: string[] = [];
      let bytes = 0;
      let end = start;
      while (end < rows.length && end - start < STATEMENT_ROWS && bytes < STATEMENT_BYTES) {
        const index = rows[end] as number;
        const tuple = `(${readers.map((read) => read(index)).join(',')})`;
        const size = Buffer.byteLength(tuple) + 1;
        if (size > hard) {
          // Send the rows before it first; the row alone is then the suspect of its own failed attempt.
          if (tuples.length > 0) break;
          throw new AttemptFailure(new RowTooLargeError(size + frame - PACKET_SLACK, maxPacket, 'max_allowed_packet'), [
            end,
            end + 1,
          ]);
        }
        if (bytes + size > hard) break;
        bytes += size;
        tuples.push(tuple);
        end++;
      }
      const sql = `${head}${tuples.join(',')}${tail}`;
      try {
        await mysqlQuery(connection, sql);
      } catch (error) {
        throw new AttemptFailure(error, suspectRows(error, start, end));
      }
      payload.push(Buffer.from(sql));
      start = end;
    }
    for (const statement of ledgerRejects ?? []) await mysqlQuery(connection, statement.sql, [...statement.bindings]);
    if (ledger !== undefined) await mysqlQuery(connection, ledger.sql, [...ledger.bindings]);
  } catch (error) {
    await mysqlQuery(connection, 'ROLLBACK').catch(() => undefined);
    throw error;
  }
  try {
    await mysqlQuery(connection, 'COMMIT');
  } catch (error) {
    // A server answer means it rolled back; a dead connection leaves the outcome unknown.
    const fatal = (error as { fatal?: unknown }).fatal === true;
    if (!fatal || request.idempotent) throw error;
    throw new CommitUnknownError(error);
  }
  return payload;
}

/**
 * Isolating (see `WriteRequest.isolate`), inside the open transaction: one single-row `INSERT` per row. InnoDB rolls
 * a failed statement back alone, so a row refused for its values (or too large for a packet) is left out and the
 * transaction goes on; any other error aborts it. Returns the refused rows, in order.
 */
async function isolateRows(
  connection: MysqlConnection,
  request: WriteRequest,
  head: string,
  tail: string,
  maxPacket: number,
  payload: Buffer[],
): Promise<RefusedRow[]> {
  const frame = Buffer.byteLength(head) + Buffer.byteLength(tail) + PACKET_SLACK;
  const hard = maxPacket - frame;
  const readers = request.columns.map((column) => mysqlLiteralReader(column.data, column.kind));
  const refused: RefusedRow[] = [];
  const { rows } = request;
  const pace = new IsolationPace(rows.length, request.onIsolating);
  for (let r = 0; r < rows.length; r++) {
    if (r % 1000 === 0) request.signal.throwIfAborted();
    if (r > 0) pace.checked(r, refused.length);
    const index = rows[r] as number;
    const tuple = `(${readers.map((read) => read(index)).join(',')})`;
    const size = Buffer.byteLength(tuple) + 1;
    if (size > hard) {
      refused.push({
        position: r,
        error: new RowTooLargeError(size + frame - PACKET_SLACK, maxPacket, 'max_allowed_packet'),
      });
      continue;
    }
    const sql = `${head}${tuple}${tail}`;
    try {
      await mysqlQuery(connection, sql);
    } catch (error) {
      if (!isRowDataError(error, 'mysql') || (error as { fatal?: unknown }).fatal === true) throw error;
      refused.push({ position: r, error: error as Error });
      continue;
    }
    payload.push(Buffer.from(sql));
  }
  pace.checked(rows.length, refused.length);
  return refused;
}

function upsertClause(names: readonly string[], key: readonly string[]): string {
  const updates = names.filter((name) => !key.includes(name)).map((name) => `${name} = VALUES(${name})`);
  return ` ON DUPLICATE KEY UPDATE ${(updates.length === 0 ? [`${key[0]} = ${key[0]}`] : updates).join(', ')}`;
}

function suspectRows(error: unknown, start: number, end: number): [number, number] {
  const match = /\bat row (\d+)/.exec(String((error as { message?: unknown }).message ?? ''));
  const row = match === null ? Number.NaN : Number(match[1]);
  return row >= 1 && start + row <= end ? [start + row - 1, start + row] : [start, end];
}
