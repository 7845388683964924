import type { Client, QueryResult } from 'pg';
import { quoteIdentifier } from '../identifiers.js';
import { groupByOp } from '../internal/sync-op-groups.js';
import { copyInto, upsertSql } from './postgres-statements.js';
import type { SyncOps, WriteRequest } from './sql-dialect.js';

/** The staging table of a sync write's rows (per transaction: dropped at commit or rollback). */
const SYNC_STAGE = 'floe_sync_stage';
/** The staged op column (`insert`, `update`, `upsert`, `delete`): not a name a target column can clash with. */
export const SYNC_OP = '"floe op#"';

const q = (name: string): string => quoteIdentifier(name, 'double');

/** The request with the op column added to what is copied (stage column {@link SYNC_OP}). */
export function withOpColumn(
  request: WriteRequest,
  sync: SyncOps,
  list: string,
): { readonly request: WriteRequest; readonly list: string } {
  return {
    request: {
      ...request,
      columns: [...request.columns, sync.opColumn],
      ...(request.columnTypes && { columnTypes: [...request.columnTypes, 'text'] }),
    },
    list: `${list}, ${SYNC_OP}`,
  };
}

/** `a.k1 = b.k1 AND …` over the key columns. */
function keyMatch(key: readonly string[], a: string, b: string): string {
  return key.map((name) => `${a}.${q(name)} = ${b}.${q(name)}`).join(' AND ');
}

/** `c = s.c, …` for the non-key columns (the key itself when there is none: an update that changes nothing). */
function assignments(names: readonly string[], key: readonly string[], from: string): string {
  const keyNames = key.map(q);
  const set = names.filter((name) => !keyNames.includes(name));
  return (set.length === 0 ? keyNames : set).map((name) => `${name} = ${from}.${name}`).join(', ');
}

/**
 * Applies a sync write's rows set-based, in the open transaction: one `COPY` of every row (with its op) into a
 * temporary table shaped like the target, then one statement per op present — `INSERT … SELECT` (insert),
 * `INSERT … ON CONFLICT (key) DO UPDATE` (upsert), `UPDATE … FROM` (update: its row count tells the rows that
 * found no record, which are skipped), `DELETE … USING` or, archiving, `UPDATE … SET soft_delete_column` (delete).
 */
export async function applySyncOps(
  client: Client,
  request: WriteRequest,
  sync: SyncOps,
  target: string,
  names: readonly string[],
  payload: Buffer[],
): Promise<void> {
  const list = names.join(', ');
  await client.query(
    `CREATE TEMP TABLE ${SYNC_STAGE} ON COMMIT DROP AS SELECT ${list} FROM ${target} WITH NO DATA;
     ALTER TABLE ${SYNC_STAGE} ADD COLUMN ${SYNC_OP} text`,
  );
  const copied = withOpColumn(request, sync, list);
  await copyInto(client, `COPY ${SYNC_STAGE} (${copied.list}) FROM STDIN`, copied.request, payload);
  const groups = groupByOp(request.rows, sync.ops);
  const staged = (op: string): string => `SELECT ${list} FROM ${SYNC_STAGE} WHERE ${SYNC_OP} = '${op}'`;
  const statements: string[] = [];
  if (groups.insert.rows.length > 0) statements.push(`INSERT INTO ${target} (${list}) ${staged('insert')}`);
  if (groups.upsert.rows.length > 0) statements.push(upsertSql(target, names, sync.key, staged('upsert')));
  const updateAt = groups.update.rows.length > 0 ? statements.length : -1;
  if (updateAt >= 0)
    statements.push(
      `UPDATE ${target} AS t SET ${assignments(names, sync.key, 's')} FROM ${SYNC_STAGE} AS s
        WHERE s.${SYNC_OP} = 'update' AND ${keyMatch(sync.key, 't', 's')}`,
    );
  if (groups.delete.rows.length > 0) {
    const soft = sync.softDeleteColumn;
    statements.push(
      soft === undefined
        ? `DELETE FROM ${target} AS t USING ${SYNC_STAGE} AS s WHERE s.${SYNC_OP} = 'delete' AND ${keyMatch(sync.key, 't', 's')}`
        : `UPDATE ${target} AS t SET ${q(soft)} = s.${q(soft)} FROM ${SYNC_STAGE} AS s
            WHERE s.${SYNC_OP} = 'delete' AND ${keyMatch(sync.key, 't', 's')}`,
    );
  }
  if (statements.length === 0) return sync.onSkipped(0);
  // One round trip for every statement (simple query protocol: one result per statement).
  const answer = (await client.query(statements.join(';\n'))) as unknown as QueryResult | QueryResult[];
  const results = Array.isArray(answer) ? answer : [answer];
  const updated = updateAt >= 0 ? (results[updateAt]?.rowCount ?? 0) : 0;
  sync.onSkipped(groups.update.rows.length - updated);
}

/**
 * The PL/pgSQL statement an isolating write runs for one staged row `r` (in its own exception block): the row's
 * op, as {@link applySyncOps} applies it set-based.
 */
export function isolatedSyncRowSql(target: string, names: readonly string[], sync: SyncOps, r: string): string {
  const list = names.join(', ');
  const values = `VALUES (${names.map((name) => `${r}.${name}`).join(', ')})`;
  const match = keyMatch(sync.key, 'floe_t', r);
  const soft = sync.softDeleteColumn;
  const remove =
    soft === undefined
      ? `DELETE FROM ${target} AS floe_t WHERE ${match}`
      : `UPDATE ${target} AS floe_t SET ${q(soft)} = ${r}.${q(soft)} WHERE ${match}`;
  return `IF ${r}.${SYNC_OP} = 'insert' THEN INSERT INTO ${target} (${list}) ${values};
      ELSIF ${r}.${SYNC_OP} = 'upsert' THEN ${upsertSql(target, names, sync.key, values)};
      ELSIF ${r}.${SYNC_OP} = 'update' THEN UPDATE ${target} AS floe_t SET ${assignments(names, sync.key, r)} WHERE ${match};
      ELSE ${remove};
      END IF`;
}

/**
 * After an isolating write's loop: tells `sync.onSkipped` how many `update` rows, not refused, found no record
 * (an update does not change keys, so the rows whose key is not in the table now are the ones it skipped).
 */
export async function isolatedSyncSkipped(
  client: Client,
  target: string,
  sync: SyncOps,
  stage: string,
  refused: string,
  row: string,
): Promise<void> {
  const result = await client.query(
    `SELECT count(*)::int AS n FROM ${stage} AS s
      WHERE s.${SYNC_OP} = 'update' AND NOT EXISTS (SELECT 1 FROM ${refused} AS f WHERE f.row = s.${row})
        AND NOT EXISTS (SELECT 1 FROM ${target} AS t WHERE ${keyMatch(sync.key, 't', 's')})`,
  );
  sync.onSkipped(Number((result.rows[0] as { n: number } | undefined)?.n ?? 0));
}
