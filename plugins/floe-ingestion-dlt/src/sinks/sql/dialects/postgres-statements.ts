import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { binaryCopyEncoder } from '../encode/copy-binary-encoder.js';
import { copyTextChunks } from '../encode/copy-text-encoder.js';
import { quoteIdentifier } from '../identifiers.js';
import { AttemptFailure } from '../internal/attempt-failure.js';
import type { WriteRequest } from './sql-dialect.js';

/** `INSERT INTO target … <source> ON CONFLICT (key) DO UPDATE …` (`source`: a `SELECT` or `VALUES`). */
export function upsertSql(
  target: string,
  names: readonly string[],
  upsertKey: readonly string[],
  source: string,
): string {
  const key = upsertKey.map((name) => quoteIdentifier(name, 'double'));
  const updates = names.filter((name) => !key.includes(name)).map((name) => `${name} = EXCLUDED.${name}`);
  const action = updates.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updates.join(', ')}`;
  const list = names.join(', ');
  return `INSERT INTO ${target} (${list}) ${source} ON CONFLICT (${key.join(', ')}) ${action}`;
}

/** `COPY … FROM STDIN` of the request's rows (binary when every column type has a writer); a failing line is the suspect. */
export async function copyInto(client: Client, sql: string, request: WriteRequest, payload: Buffer[]): Promise<void> {
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
