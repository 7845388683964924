import type { Client, QueryResult } from 'pg';
import { quoteIdentifier, quoteQualified } from '../identifiers.js';
import { copyInto, upsertSql } from './postgres-statements.js';
import { applySyncOps, isolatedSyncRowSql, isolatedSyncSkipped, SYNC_OP, withOpColumn } from './postgres-sync.js';
import { ISOLATION_REPORT_ROWS, IsolationPace } from '../internal/isolation-pace.js';
import type { RefusedRow, WriteRequest } from './sql-dialect.js';

/** The transaction's COMMIT failed: whether it took effect must be asked with `txid_status`. */
export class CommitOutcomeUnknown extends Error {
  override readonly cause: unknown;
  readonly xid: string;
  readonly payload: Buffer[];

  constructor(cause: unknown, xid: string, payload: Buffer[]) {
    super('COMMIT failed; outcome unknown');
    this.cause = cause;
    this.xid = xid;
    this.payload = payload;
  }
}

/** The temporary table a merge copies into (per transaction: dropped at commit or rollback). */
const STAGE = 'floe_merge_stage';

/**
 * One PostgreSQL transaction: `COPY … FROM STDIN` (binary format when every target column type has a
 * binary writer, else text format; built column-wise from Arrow) straight into
 * the table, or for a merge into a temporary table followed by `INSERT … SELECT … ON CONFLICT (key) DO
 * UPDATE`. A COPY error names its line: that row becomes the suspect. Returns the COPY bytes sent.
 */
export async function postgresWrite(client: Client, request: WriteRequest): Promise<Buffer[]> {
  const names = request.columns.map((column) => quoteIdentifier(column.name, 'double'));
  const list = names.join(', ');
  const target = quoteQualified(request.table, 'double');
  const payload: Buffer[] = [];
  const { upsertKey } = request;
  let xid: string;
  try {
    // One round trip opens the transaction, learns its id and (merge) creates the staging table.
    const stage =
      upsertKey === undefined || request.sync !== undefined
        ? ''
        : `; CREATE TEMP TABLE ${STAGE} ON COMMIT DROP AS SELECT ${list} FROM ${target} WITH NO DATA`;
    const opened = (await client.query(`BEGIN; SELECT txid_current() AS xid${stage}`)) as unknown as QueryResult[];
    xid = String((opened[1]?.rows[0] as { xid: string }).xid);
    let { ledger, ledgerRejects, inTransaction } = request;
    if (request.isolate !== undefined) {
      const refused = await isolateRows(client, request, target, names, payload);
      ({ ledger, ledgerRejects, inTransaction } = await request.isolate(refused));
    } else if (request.sync !== undefined) {
      await applySyncOps(client, request, request.sync, target, names, payload);
    } else {
      await copyInto(client, `COPY ${upsertKey === undefined ? target : STAGE} (${list}) FROM STDIN`, request, payload);
      if (upsertKey !== undefined)
        await client.query(upsertSql(target, names, upsertKey, `SELECT ${list} FROM ${STAGE}`));
    }
    await inTransaction?.(client);
    for (const statement of ledgerRejects ?? []) await client.query(statement.sql, [...statement.bindings]);
    if (ledger !== undefined) await client.query(ledger.sql, [...ledger.bindings]);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  try {
    await client.query('COMMIT');
  } catch (error) {
    throw new CommitOutcomeUnknown(error, xid, payload);
  }
  return payload;
}

/** The unconstrained copy of the rows an isolating write tries one by one, and the rows refused. */
const ISOLATE_STAGE = 'floe_isolate_stage';
const ISOLATE_REFUSED = 'floe_isolate_refused';
/** The staging table's row number (1-based, in COPY order): not a name a target column can clash with. */
const ROW = '"floe row#"';

/**
 * Isolates the rows the database refuses, inside the open transaction, in two round trips of work: COPY every row
 * into a temporary table shaped like the target (same column types, no constraints: a value that does not even
 * convert fails here, as an {@link AttemptFailure} naming its line), then one server-side loop inserts (merge:
 * upserts) them into the target in row order, each in a PL/pgSQL exception block — a savepoint — so a row refused
 * for its values (SQLSTATE classes 21, 22, 23, and 54000, as {@link isPostgresRowError}) is rolled back alone and
 * recorded; any other error aborts the transaction. The loop runs over {@link ISOLATION_REPORT_ROWS} rows at a
 * time, its progress told to `request.onIsolating` in between. Returns the refused rows, in order.
 */
async function isolateRows(
  client: Client,
  request: WriteRequest,
  target: string,
  names: readonly string[],
  payload: Buffer[],
): Promise<RefusedRow[]> {
  const list = names.join(', ');
  const { sync } = request;
  await client.query(
    `CREATE TEMP TABLE ${ISOLATE_STAGE} ON COMMIT DROP AS SELECT ${list} FROM ${target} WITH NO DATA;
     ALTER TABLE ${ISOLATE_STAGE} ADD COLUMN ${ROW} bigint GENERATED ALWAYS AS IDENTITY;
     ${sync === undefined ? '' : `ALTER TABLE ${ISOLATE_STAGE} ADD COLUMN ${SYNC_OP} text;`}
     CREATE TEMP TABLE ${ISOLATE_REFUSED} (row bigint PRIMARY KEY, code text, message text, detail text) ON COMMIT DROP`,
  );
  const copied = sync === undefined ? { request, list } : withOpColumn(request, sync, list);
  await copyInto(client, `COPY ${ISOLATE_STAGE} (${copied.list}) FROM STDIN`, copied.request, payload);
  const values = `VALUES (${names.map((name) => `r.${name}`).join(', ')})`;
  const insert =
    sync !== undefined
      ? isolatedSyncRowSql(target, names, sync, 'r')
      : request.upsertKey === undefined
        ? `INSERT INTO ${target} (${list}) ${values}`
        : upsertSql(target, names, request.upsertKey, values);
  const body = (from: number, to: number): string => `DECLARE r record; code text; message text; detail text;
BEGIN
  FOR r IN SELECT * FROM ${ISOLATE_STAGE} WHERE ${ROW} BETWEEN ${from} AND ${to} ORDER BY ${ROW} LOOP
    BEGIN
      ${insert};
    EXCEPTION WHEN cardinality_violation OR data_exception OR integrity_constraint_violation OR program_limit_exceeded THEN
      GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
      IF code LIKE '54%' AND code <> '54000' THEN RAISE; END IF;
      INSERT INTO ${ISOLATE_REFUSED} VALUES (r.${ROW}, code, message, detail);
    END;
  END LOOP;
END`;
  // The loop runs over ranges of rows, so progress can be told between them: one round trip each, the loop and the
  // count of the range's refused rows (an index range scan: the running total costs nothing more per range).
  const total = request.rows.length;
  const pace = new IsolationPace(total, request.onIsolating);
  let refusedSoFar = 0;
  for (let from = 1; from <= total; from += ISOLATION_REPORT_ROWS) {
    const to = Math.min(total, from + ISOLATION_REPORT_ROWS - 1);
    const range = body(from, to);
    const tag = uniqueDollarTag(range);
    const results = (await client.query(
      `DO ${tag}${range}${tag}; SELECT count(*)::int AS n FROM ${ISOLATE_REFUSED} WHERE row BETWEEN ${from} AND ${to}`,
    )) as unknown as QueryResult[];
    refusedSoFar += (results[1]?.rows[0] as { n: number } | undefined)?.n ?? 0;
    pace.checked(to, refusedSoFar);
  }
  const refused = await client.query(
    `SELECT row::int AS row, code, message, detail FROM ${ISOLATE_REFUSED} ORDER BY row`,
  );
  if (sync !== undefined) await isolatedSyncSkipped(client, target, sync, ISOLATE_STAGE, ISOLATE_REFUSED, ROW);
  return (refused.rows as { row: number; code: string; message: string; detail: string }[]).map((row) => ({
    position: row.row - 1,
    error: Object.assign(new Error(row.message), {
      code: row.code,
      severity: 'ERROR',
      ...(row.detail !== '' && { detail: row.detail }),
    }),
  }));
}

/** A dollar-quote tag that does not occur in `body` (identifiers may contain `$`). */
function uniqueDollarTag(body: string): string {
  let n = 0;
  while (body.includes(`$floe${n}$`)) n += 1;
  return `$floe${n}$`;
}

/** `committed`, `aborted`, `in progress` or `null` (unknown) for a transaction id (PostgreSQL ≥ 10). */
export async function transactionStatus(client: Client, xid: string): Promise<string | null> {
  const result = await client.query('SELECT txid_status($1::bigint) AS status', [xid]);
  return ((result.rows[0] as { status: string | null } | undefined)?.status ?? null) as string | null;
}
