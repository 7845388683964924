import { RowTooLargeError } from '../../../errors/row-too-large-error.js';
import { AttemptFailure } from '../internal/attempt-failure.js';
import { requestRange } from '../internal/sync-op-groups.js';

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
export const STATEMENT_BYTES = 1 << 20;
/** `max_allowed_packet` when the server did not say (MariaDB's and MySQL 8's default). */
export const DEFAULT_MAX_PACKET = 16 << 20;
/** Room left in a packet for the protocol's own bytes. */
export const PACKET_SLACK = 1024;
/** Most rows per INSERT statement. */
export const STATEMENT_ROWS = 5000;

/** What {@link sendTuples} sends: `head` + tuples joined by `,` + `tail`, as few statements as fit. */
export interface TupleStatements {
  readonly head: string;
  readonly tail: string;
  /** The SQL text of batch row `index`. */
  readonly tuple: (index: number) => string;
  /** Batch row indexes, in order. */
  readonly rows: Int32Array;
  /** Each row's position within the request's rows (for suspects); absent: the rows are the request's. */
  readonly positions?: Int32Array;
  readonly maxPacket: number;
  readonly signal: AbortSignal;
  readonly payload: Buffer[];
}

/**
 * Sends `rows` as multi-row statements (`INSERT … VALUES (…), (…)`, `DELETE … WHERE k IN (…)`), each at most
 * {@link STATEMENT_ROWS} rows and {@link STATEMENT_BYTES} bytes and never over `max_allowed_packet`. A failing
 * statement makes its rows the suspects (one row when the server says "at row N"); a row too large alone fails
 * with a {@link RowTooLargeError} naming it.
 */
export async function sendTuples(connection: MysqlConnection, statements: TupleStatements): Promise<void> {
  const { head, tail, tuple, rows, positions, maxPacket, signal, payload } = statements;
  const frame = Buffer.byteLength(head) + Buffer.byteLength(tail) + PACKET_SLACK;
  const hard = maxPacket - frame;
  const range = (from: number, to: number): [number, number] | undefined =>
    positions === undefined ? [from, to] : requestRange(positions, from, to);
  for (let start = 0; start < rows.length;) {
    signal.throwIfAborted();
    const tuples: string[] = [];
    let bytes = 0;
    let end = start;
    while (end < rows.length && end - start < STATEMENT_ROWS && bytes < STATEMENT_BYTES) {
      const text = tuple(rows[end] as number);
      const size = Buffer.byteLength(text) + 1;
      if (size > hard) {
        // Send the rows before it first; the row alone is then the suspect of its own failed attempt.
        if (tuples.length > 0) break;
        throw new AttemptFailure(
          new RowTooLargeError(size + frame - PACKET_SLACK, maxPacket, 'max_allowed_packet'),
          range(end, end + 1),
        );
      }
      if (bytes + size > hard) break;
      bytes += size;
      tuples.push(text);
      end++;
    }
    const sql = `${head}${tuples.join(',')}${tail}`;
    try {
      await mysqlQuery(connection, sql);
    } catch (error) {
      const [from, to] = suspectRows(error, start, end);
      throw new AttemptFailure(error, range(from, to));
    }
    payload.push(Buffer.from(sql));
    start = end;
  }
}

export function upsertClause(names: readonly string[], key: readonly string[]): string {
  const updates = names.filter((name) => !key.includes(name)).map((name) => `${name} = VALUES(${name})`);
  return ` ON DUPLICATE KEY UPDATE ${(updates.length === 0 ? [`${key[0]} = ${key[0]}`] : updates).join(', ')}`;
}

function suspectRows(error: unknown, start: number, end: number): [number, number] {
  const match = /\bat row (\d+)/.exec(String((error as { message?: unknown }).message ?? ''));
  const row = match === null ? Number.NaN : Number(match[1]);
  return row >= 1 && start + row <= end ? [start + row - 1, start + row] : [start, end];
}

/**
 * The rows an `UPDATE` matched (also those it left unchanged): the server's `Rows matched: N`, else the
 * affected rows (mysql2 connects with `FOUND_ROWS`, so they are the matched ones).
 */
export function matchedRows(answer: unknown): number {
  const { info, affectedRows } = (answer ?? {}) as { info?: unknown; affectedRows?: unknown };
  const match = /Rows matched:\s*(\d+)/.exec(typeof info === 'string' ? info : '');
  return match === null ? Number(affectedRows ?? 0) : Number(match[1]);
}
