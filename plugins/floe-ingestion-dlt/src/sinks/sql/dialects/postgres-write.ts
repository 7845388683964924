import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client, QueryResult } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { binaryCopyEncoder } from '../encode/copy-binary-encoder.js';
import { copyTextChunks } from '../encode/copy-text-encoder.js';
import { quoteIdentifier, quoteQualified } from '../identifiers.js';
import { AttemptFailure } from '../internal/attempt-failure.js';
import type { WriteRequest } from './sql-dialect.js';

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
      upsertKey === undefined
        ? ''
        : `; CREATE TEMP TABLE ${STAGE} ON COMMIT DROP AS SELECT ${list} FROM ${target} WITH NO DATA`;
    const opened = (await client.query(`BEGIN; SELECT txid_current() AS xid${stage}`)) as unknown as QueryResult[];
    xid = String((opened[1]?.rows[0] as { xid: string }).xid);
    await copyInto(client, `COPY ${upsertKey === undefined ? target : STAGE} (${list}) FROM STDIN`, request, payload);
    if (upsertKey !== undefined) await client.query(upsertSql(target, names, upsertKey));
    const rejects = request.ledgerRejects;
    if (rejects !== undefined) await client.query(rejects.sql, [...rejects.bindings]);
    if (request.ledger !== undefined) await client.query(request.ledger.sql, [...request.ledger.bindings]);
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

function upsertSql(target: string, names: readonly string[], upsertKey: readonly string[]): string {
  const key = upsertKey.map((name) => quoteIdentifier(name, 'double'));
  const updates = names.filter((name) => !key.includes(name)).map((name) => `${name} = EXCLUDED.${name}`);
  const action = updates.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updates.join(', ')}`;
  const list = names.join(', ');
  return `INSERT INTO ${target} (${list}) SELECT ${list} FROM ${STAGE} ON CONFLICT (${key.join(', ')}) ${action}`;
}

async function copyInto(client: Client, sql: string, request: WriteRequest, payload: Buffer[]): Promise<void> {
  const binary = request.columnTypes && binaryCopyEncoder(request.columns, request.columnTypes);
  function* chunks(): Generator<Buffer> {
    const encoded = binary
      ? binary(request.rows, undefined, request.chunkPool?.take)
      : copyTextChunks(request.columns, request.rows);
    for (const chunk of encoded) {
      payload.push(chunk);
      yield chunk;
    }
  }
  try {
    const format = binary ? ' (FORMAT binary)' : '';
    await pipeline(Readable.from(chunks(), { objectMode: false }), client.query(copyFrom(`${sql}${format}`)), {
      signal: request.signal,
    });
  } catch (error) {
    const line = /\bCOPY [^,]+, line (\d+)/.exec(String((error as { where?: unknown }).where ?? ''));
    throw new AttemptFailure(error, line === null ? undefined : [Number(line[1]) - 1, Number(line[1])]);
  }
}

/** `committed`, `aborted`, `in progress` or `null` (unknown) for a transaction id (PostgreSQL ≥ 10). */
export async function transactionStatus(client: Client, xid: string): Promise<string | null> {
  const result = await client.query('SELECT txid_status($1::bigint) AS status', [xid]);
  return ((result.rows[0] as { status: string | null } | undefined)?.status ?? null) as string | null;
}
