import { quoteIdentifier, quoteQualified } from '../identifiers.js';
import type { LiteralReader } from '../encode/sql-literals.js';
import { AttemptFailure } from '../internal/attempt-failure.js';
import { groupByOp, requestRange } from '../internal/sync-op-groups.js';
import { mysqlQuery, sendTuples, upsertClause, type MysqlConnection } from './mysql-statements.js';
import { OP_DELETE, OP_UPDATE, OP_UPSERT, type SyncOps, type WriteRequest } from './sql-dialect.js';

const q = (name: string): string => quoteIdentifier(name, 'backtick');

/** The temporary table an update's rows are staged in (per connection; created and dropped by each write). */
const UPDATE_STAGE = 'floe_sync_update';

/** What the sync ops share with the plain write: quoted names, the INSERT head, each column's literals. */
export interface MysqlSyncContext {
  /** Quoted column names, in column order. */
  readonly names: readonly string[];
  /** `INSERT INTO target (…) VALUES `. */
  readonly head: string;
  /** Each column's literal reader, in column order. */
  readonly readers: readonly LiteralReader[];
  readonly maxPacket: number;
  readonly payload: Buffer[];
}

function columnIndex(request: WriteRequest, name: string): number {
  return request.columns.findIndex((column) => column.name === name);
}

/** `k = lit AND …` for batch row `index` (the key is never null: such rows are refused before writing). */
function keyEquals(request: WriteRequest, sync: SyncOps, readers: readonly LiteralReader[]) {
  const keyed = sync.key.map((name) => ({ name: q(name), read: readers[columnIndex(request, name)] as LiteralReader }));
  return (index: number): string => keyed.map(({ name, read }) => `${name} = ${read(index)}`).join(' AND ');
}

/**
 * Applies a sync write's rows set-based, in the open transaction, by op: multi-row `INSERT` (insert),
 * multi-row `INSERT … ON DUPLICATE KEY UPDATE` (upsert); update: a multi-row `INSERT` into a temporary copy
 * of the target (`CREATE TEMPORARY TABLE … LIKE`: same types, collations and checks; no implicit commit), the
 * count of its rows that match a record (the others are skipped), then one `UPDATE … JOIN`; delete: multi-row
 * `DELETE … WHERE (key) IN (…)`, or archiving `UPDATE … SET soft_delete_column = … WHERE (key) IN (…)`.
 */
export async function applyMysqlSyncOps(
  connection: MysqlConnection,
  request: WriteRequest,
  sync: SyncOps,
  context: MysqlSyncContext,
): Promise<void> {
  const { names, head, readers, maxPacket, payload } = context;
  const { signal } = request;
  const groups = groupByOp(request.rows, sync.ops);
  const target = quoteQualified(request.table, 'backtick');
  const key = sync.key.map(q);
  const rowTuple = (index: number): string => `(${readers.map((read) => read(index)).join(',')})`;
  const send = (
    group: { rows: Int32Array; positions: Int32Array },
    statementHead: string,
    tail: string,
    tuple = rowTuple,
  ): Promise<void> =>
    sendTuples(connection, {
      head: statementHead,
      tail,
      tuple,
      rows: group.rows,
      positions: group.positions,
      maxPacket,
      signal,
      payload,
    });

  await send(groups.insert, head, '');
  await send(groups.upsert, head, upsertClause(names, key));

  let skipped = 0;
  if (groups.update.rows.length > 0) {
    const stage = quoteQualified({ schema: request.table.schema, name: UPDATE_STAGE }, 'backtick');
    await mysqlQuery(connection, `DROP TEMPORARY TABLE IF EXISTS ${stage}`);
    await mysqlQuery(connection, `CREATE TEMPORARY TABLE ${stage} LIKE ${target}`);
    try {
      await send(groups.update, `INSERT INTO ${stage} (${names.join(', ')}) VALUES `, '');
      const match = key.map((name) => `t.${name} = s.${name}`).join(' AND ');
      const found = await mysqlQuery<{ n: number | string }[]>(
        connection,
        `SELECT COUNT(*) AS n FROM ${stage} AS s JOIN ${target} AS t ON ${match}`,
      );
      const set = names.filter((name) => !key.includes(name));
      const assignments = (set.length === 0 ? key : set).map((name) => `t.${name} = s.${name}`).join(', ');
      try {
        await mysqlQuery(connection, `UPDATE ${target} AS t JOIN ${stage} AS s ON ${match} SET ${assignments}`);
      } catch (error) {
        // The server does not say which row it refused: every update row is a suspect.
        throw new AttemptFailure(error, requestRange(groups.update.positions, 0, groups.update.rows.length));
      }
      skipped = groups.update.rows.length - Number(found[0]?.n ?? 0);
    } finally {
      await mysqlQuery(connection, `DROP TEMPORARY TABLE IF EXISTS ${stage}`).catch(() => undefined);
    }
  }
  sync.onSkipped(skipped);

  if (groups.delete.rows.length > 0) {
    const keyed = sync.key.map((name) => readers[columnIndex(request, name)] as LiteralReader);
    const keyTuple = (index: number): string =>
      keyed.length === 1 ? (keyed[0] as LiteralReader)(index) : `(${keyed.map((read) => read(index)).join(',')})`;
    const where = `WHERE ${key.length === 1 ? (key[0] as string) : `(${key.join(', ')})`} IN (`;
    const soft = sync.softDeleteColumn;
    // Archiving: every delete row of the batch carries the same deletion time.
    const at =
      soft === undefined ? '' : (readers[columnIndex(request, soft)] as LiteralReader)(groups.delete.rows[0] as number);
    const statementHead =
      soft === undefined ? `DELETE FROM ${target} ${where}` : `UPDATE ${target} SET ${q(soft)} = ${at} ${where}`;
    await send(groups.delete, statementHead, ')', keyTuple);
  }
}

/**
 * The single-row statement an isolating write runs for batch row `index` (its `tuple` already read): insert,
 * upsert, `UPDATE … WHERE key` (`update: true`: a row it matches none of is skipped) or the delete / archive.
 */
export function isolatedMysqlSyncRow(
  request: WriteRequest,
  sync: SyncOps,
  head: string,
  readers: readonly LiteralReader[],
): (index: number, tuple: string) => { readonly sql: string; readonly update: boolean } {
  const target = quoteQualified(request.table, 'backtick');
  const names = request.columns.map((column) => q(column.name));
  const key = sync.key.map(q);
  const upsert = upsertClause(names, key);
  const where = keyEquals(request, sync, readers);
  const set = names.flatMap((name, c) => (key.includes(name) ? [] : [{ name, read: readers[c] as LiteralReader }]));
  const soft = sync.softDeleteColumn;
  const softAt = soft === undefined ? undefined : (readers[columnIndex(request, soft)] as LiteralReader);
  return (index, tuple) => {
    const op = sync.ops[index];
    if (op === OP_UPSERT) return { sql: `${head}${tuple}${upsert}`, update: false };
    if (op === OP_UPDATE) {
      const assignments =
        set.length === 0 ? `${key[0]} = ${key[0]}` : set.map(({ name, read }) => `${name} = ${read(index)}`).join(', ');
      return { sql: `UPDATE ${target} SET ${assignments} WHERE ${where(index)}`, update: true };
    }
    if (op === OP_DELETE) {
      const sql =
        softAt === undefined
          ? `DELETE FROM ${target} WHERE ${where(index)}`
          : `UPDATE ${target} SET ${q(soft as string)} = ${softAt(index)} WHERE ${where(index)}`;
      return { sql, update: false };
    }
    return { sql: `${head}${tuple}`, update: false };
  };
}
