import { mysqlLiteralReader } from '../encode/sql-literals.js';
import {
  DEFAULT_MAX_PACKET,
  PACKET_SLACK,
  mysqlQuery,
  sendTuples,
  matchedRows,
  upsertClause,
  type MysqlConnection,
} from './mysql-statements.js';
import { quoteIdentifier, quoteQualified } from '../identifiers.js';
import { RowTooLargeError } from '../../../errors/row-too-large-error.js';
import { CommitUnknownError } from './commit-unknown-error.js';
import { isRowDataError } from '../internal/row-errors.js';
import { applyMysqlSyncOps, isolatedMysqlSyncRow } from './mysql-sync.js';
import { IsolationPace } from '../internal/isolation-pace.js';
import type { RefusedRow, WriteRequest } from './sql-dialect.js';

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
  const tail =
    request.upsertKey === undefined || request.sync !== undefined ? '' : upsertClause(names, request.upsertKey.map(q));
  const readers = request.columns.map((column) => mysqlLiteralReader(column.data, column.kind));
  const tuple = (index: number): string => `(${readers.map((read) => read(index)).join(',')})`;
  const payload: Buffer[] = [];
  await mysqlQuery(connection, 'START TRANSACTION');
  try {
    let { ledger, ledgerRejects, inTransaction } = request;
    if (request.isolate !== undefined) {
      const refused = await isolateRows(connection, request, head, tail, maxPacket, payload);
      ({ ledger, ledgerRejects, inTransaction } = await request.isolate(refused));
    } else if (request.sync !== undefined) {
      await applyMysqlSyncOps(connection, request, request.sync, { names, head, readers, maxPacket, payload });
    } else {
      await sendTuples(connection, {
        head,
        tail,
        tuple,
        rows: request.rows,
        maxPacket,
        signal: request.signal,
        payload,
      });
    }
    await inTransaction?.(connection);
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
  const { rows, sync } = request;
  const syncRow = sync === undefined ? undefined : isolatedMysqlSyncRow(request, sync, head, readers);
  let skipped = 0;
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
    const statement = syncRow?.(index, tuple) ?? { sql: `${head}${tuple}${tail}`, update: false };
    let answer: unknown;
    try {
      answer = await mysqlQuery(connection, statement.sql);
    } catch (error) {
      if (!isRowDataError(error, 'mysql') || (error as { fatal?: unknown }).fatal === true) throw error;
      refused.push({ position: r, error: error as Error });
      continue;
    }
    if (statement.update && matchedRows(answer) === 0) skipped += 1;
    payload.push(Buffer.from(statement.sql));
  }
  sync?.onSkipped(skipped);
  pace.checked(rows.length, refused.length);
  return refused;
}

export { mysqlQuery, type MysqlConnection } from './mysql-statements.js';
