import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Float64, Int64, Table, Utf8, makeTable, tableToIPC, vectorFromArray, type RecordBatch } from 'apache-arrow';
import { ArrowSpool, MAX_UNWRITTEN_BYTES } from '../../src/sync/arrow-spool.js';

/** A batch of `rows` rows, ~100 bytes each, ids from `start`. */
function batch(start: number, rows: number): RecordBatch {
  const ids = Array.from({ length: rows }, (_, i) => BigInt(start + i));
  return makeTable({
    id: vectorFromArray(ids, new Int64()).data[0] as never,
    text: vectorFromArray(
      ids.map((id) => `row ${id} `.padEnd(80, 'x')),
      new Utf8(),
    ).data[0] as never,
    v: vectorFromArray(
      ids.map((id) => Number(id) / 3),
      new Float64(),
    ).data[0] as never,
  }).batches[0] as RecordBatch;
}

describe('ArrowSpool', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'floe-spool-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds at most MAX_UNWRITTEN_BYTES in memory: each write resolves once the file has the rest', async () => {
    const path = join(dir, 'spool.arrow');
    const first = batch(0, 20_000);
    const spool = new ArrowSpool(path, first.schema);
    // ~2 MB per batch, 64 batches: over 4× the bound, so a spool buffering everything would fail.
    let produced = 0;
    for (let i = 0; i < 64; i++) {
      const next = i === 0 ? first : batch(i * 20_000, 20_000);
      await spool.write(next);
      // The batch's IPC size, less its stream's schema message and end mark (a lower bound of what it added).
      produced += tableToIPC(new Table([next]), 'stream').byteLength - 1024;
      expect(statSync(path).size).toBeGreaterThanOrEqual(produced - MAX_UNWRITTEN_BYTES);
    }
    expect(produced).toBeGreaterThan(4 * MAX_UNWRITTEN_BYTES);
    await spool.finish();
    let rows = 0;
    let lastId = -1n;
    for await (const read of spool.read()) {
      rows += read.numRows;
      lastId = read.getChild('id')?.get(read.numRows - 1) as bigint;
    }
    expect(rows).toBe(64 * 20_000);
    expect(lastId).toBe(BigInt(64 * 20_000 - 1));
  });
});
