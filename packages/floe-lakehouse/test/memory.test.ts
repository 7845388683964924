import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Data } from 'apache-arrow';
import { openTable } from '../src/index.js';
import { IcebergTableWriter } from '../src/testing/index.js';
import { tempDir } from './support/fixtures.js';
import { ID_FIELDS, idBatches } from './support/generate.js';

const FILES = 6;
const ROWS_PER_FILE = 200_000;
const TOTAL = FILES * ROWS_PER_FILE;
const PAYLOAD = 400; // bytes of string per row: the whole table is > 480 MB once decoded to Arrow
const CAP = 400 * 1024 * 1024;

let location: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const tmp = await tempDir('floe-memory-');
  cleanup = tmp.cleanup;
  location = tmp.dir;
  const writer = await IcebergTableWriter.create({ location, fields: ID_FIELDS });
  await writer.commit({
    dataFiles: Array.from({ length: FILES }, (_, f) => ({
      batches: idBatches(f * ROWS_PER_FILE, ROWS_PER_FILE, 25_000, PAYLOAD),
      rowGroupSize: 50_000,
    })),
  });
}, 120_000);

afterAll(async () => cleanup());

describe('IcebergTable.batches memory', () => {
  // A reader holding the whole table would need > CAP more
  // memory: the payload alone is > 480 MB once decoded. WebAssembly memory grown while generating
  // the table is reused by the reader, so the growth measured here is mostly JavaScript-side.
  it('streams 1.2M rows (> 480 MB as Arrow) with bounded RSS growth when read batch by batch', async () => {
    const table = await openTable({ location });
    const plan = await table.plan();
    expect(plan.files).toHaveLength(FILES);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let rows = 0;
    let idSum = 0n;
    let payloadBytes = 0;
    for await (const batch of table.batches({ batchSize: 20_000 })) {
      rows += batch.numRows;
      const ids = (batch.getChild('id')?.data[0] as Data).values as BigInt64Array;
      for (let i = 0; i < ids.length; i++) idSum += ids[i] as bigint;
      payloadBytes += ((batch.getChild('name')?.data[0] as Data).values as Uint8Array).byteLength;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(rows).toBe(TOTAL);
    expect(idSum).toBe((BigInt(TOTAL) * BigInt(TOTAL - 1)) / 2n);
    expect(payloadBytes).toBeGreaterThan(TOTAL * PAYLOAD);
    expect(payloadBytes).toBeGreaterThan(CAP);
    expect(peak - baseline).toBeLessThan(CAP);
  }, 120_000);
});
