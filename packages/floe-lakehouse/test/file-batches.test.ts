import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { isIcebergNotFoundError, openTable } from '../src/index.js';
import { regionBatch, regionTable, span } from './support/change-tables.js';
import { fixture, tempDir } from './support/fixtures.js';
import { collect, rowsOf } from './support/rows.js';
import { rowText } from './support/row-diff.js';

let root: string;
let cleanup: () => Promise<void>;
let n = 0;
const nextDir = (): string => join(root, `t${n++}`);

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('floe-file-batches-'));
});
afterAll(async () => cleanup());

const idsOf = (rows: Record<string, unknown>[]): number[] => rows.map((r) => Number(r.id)).sort((a, b) => a - b);

describe('IcebergTable.fileBatches', () => {
  it('tags every batch with the recorded path of the file its rows come from', async () => {
    const location = nextDir();
    const { files } = await regionTable(location);
    const table = await openTable({ location });
    const tagged = await collect(table.fileBatches({ batchSize: 30 }));
    const byFile = new Map<string, number[]>();
    for (const { file, batch } of tagged) {
      expect(batch.numRows).toBeLessThanOrEqual(30);
      byFile.set(file, [...(byFile.get(file) ?? []), ...idsOf(rowsOf([batch]))]);
    }
    expect(Object.fromEntries(byFile)).toEqual({
      [files.eu1]: span(0, 100),
      [files.us1]: span(100, 200),
      [files.eu2]: span(200, 300),
    });
    const plain = rowsOf(await collect(table.batches({ batchSize: 30 }))).map(rowText);
    expect(rowsOf(tagged.map((t) => t.batch)).map(rowText)).toEqual(plain);
  });

  it('reads only the listed files, with deletes and the column selection applied', async () => {
    const location = nextDir();
    const { writer, files } = await regionTable(location);
    await writer.commit({
      positionDeletes: [{ rows: [{ path: files.us1, pos: 0 }], partition: { region: 'us' } }],
    });
    const table = await openTable({ location });
    const tagged = await collect(table.fileBatches({ files: [files.us1], columns: ['v', 'id'] }));
    expect(new Set(tagged.map((t) => t.file))).toEqual(new Set([files.us1]));
    const rows = rowsOf(tagged.map((t) => t.batch));
    expect(Object.keys(rows[0] ?? {})).toEqual(['v', 'id']);
    expect(idsOf(rows)).toEqual(span(101, 200));
    expect(await collect(table.fileBatches({ files: [] }))).toEqual([]);
  });

  it('lists files of the selected snapshot and refuses a path that is not live in it', async () => {
    const location = nextDir();
    const { writer, snapshotId, files } = await regionTable(location);
    await writer.commit({
      removeDataFiles: [files.eu1],
      dataFiles: [{ batches: [regionBatch('eu', [1])], partition: { region: 'eu' } }],
    });
    const table = await openTable({ location });
    const old = await collect(table.fileBatches({ snapshotId, files: [files.eu1] }));
    expect(idsOf(rowsOf(old.map((t) => t.batch)))).toEqual(span(0, 100));
    const error = await collect(table.fileBatches({ files: [files.eu1, 'nope.parquet'] })).catch((e: unknown) => e);
    expect(isIcebergNotFoundError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `2 of the requested files are not live data files of the snapshot: ${files.eu1}, nope.parquet`,
    );
  });
});

describe('IcebergTable.tableUuid and bytesRead', () => {
  it('keeps table-uuid across versions of a table', async () => {
    const bunnies = fixture('icebird/spark/bunnies');
    const v1 = await openTable({ metadataUri: join(bunnies, 'metadata/v1.metadata.json') });
    const v5 = await openTable({ location: bunnies });
    expect(v1.tableUuid).toBe('50d305b7-f929-4857-869f-68d7e9b570e5');
    expect(v5.tableUuid).toBe(v1.tableUuid);
    const location = nextDir();
    await regionTable(location);
    expect((await openTable({ location })).tableUuid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it('counts the bytes fetched: metadata on open, then data; a change read fetches less than a full scan', async () => {
    const location = nextDir();
    const { writer, snapshotId } = await regionTable(location);
    await writer.commit({ dataFiles: [{ batches: [regionBatch('us', [400])], partition: { region: 'us' } }] });
    const table = await openTable({ location });
    const opened = table.bytesRead;
    expect(opened).toBeGreaterThan(0);
    await collect(table.batches());
    const fullScan = table.bytesRead - opened;
    const plan = await table.plan();
    // every data file's footer and column chunks are fetched (at least the data pages' bytes)
    expect(fullScan).toBeGreaterThan(plan.files.length * 100);
    const beforePlans = table.bytesRead;
    await table.plan({ snapshotId });
    await table.plan();
    const twoPlans = table.bytesRead - beforePlans;
    const beforeChanges = table.bytesRead;
    const changes = await table.changesSince(snapshotId);
    if (!changes.incremental) throw new Error(changes.reason);
    // the manifest both snapshots share is read once
    expect(table.bytesRead - beforeChanges).toBeLessThan(twoPlans);
    const start = table.bytesRead;
    await collect(changes.after());
    const changeRead = table.bytesRead - start;
    expect(changeRead).toBeGreaterThan(0);
    expect(changeRead).toBeLessThanOrEqual(changes.bytesToRead);
    expect(changeRead).toBeLessThan(fullScan);
  });
});
