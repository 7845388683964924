import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { openTable, type IcebergTable, type IncrementalChanges } from '../src/index.js';
import { Int64, Table, Utf8, vectorFromArray, type RecordBatch } from 'apache-arrow';
import { IcebergTableWriter } from '../src/testing/index.js';
import {
  editMetadata,
  REGION_FIELDS,
  regionBatch,
  regionTable,
  span,
  withFilesHidden,
} from './support/change-tables.js';
import { tempDir } from './support/fixtures.js';
import { smallBatch } from './support/generate.js';
import { diffOfChanges, diffOfScans, incremental, rowText } from './support/row-diff.js';

let root: string;
let cleanup: () => Promise<void>;
let n = 0;
const nextDir = (): string => join(root, `t${n++}`);

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('floe-changes-'));
});
afterAll(async () => cleanup());

const row = (id: number, region: string, v: number): string =>
  rowText({ id: BigInt(id), region, v: Number.isNaN(v) ? null : BigInt(v) });

/**
 * Checks the changes since `from` against two full scans, with every unchanged file hidden while
 * `before()`/`after()` run (reading one would fail); returns the diff.
 */
async function checkChanges(
  table: IcebergTable,
  from: bigint,
  expected: { added: string[]; removed: string[]; rewritten: string[]; appendOnly: boolean },
  readsLess = true,
): Promise<{ changes: IncrementalChanges; diff: { added: string[]; removed: string[] } }> {
  const changes = incremental(await table.changesSince(from));
  expect({
    added: [...changes.addedFiles].sort(),
    removed: changes.removedFiles,
    rewritten: [...changes.rewrittenFiles].sort(),
    appendOnly: changes.appendOnly,
  }).toEqual({ ...expected, rewritten: [...expected.rewritten].sort() });
  const changed = new Set([...changes.addedFiles, ...changes.removedFiles, ...changes.rewrittenFiles]);
  const unchanged = (await table.plan()).files.map((f) => f.recordedPath).filter((p) => !changed.has(p));
  expect(changes.unchangedFiles).toBe(unchanged.length);
  if (readsLess) expect(changes.bytesToRead).toBeLessThan(changes.bytesTotal);
  const scans = await diffOfScans(table, from);
  const diff = await withFilesHidden(unchanged, () => diffOfChanges(changes));
  expect(diff).toEqual(scans);
  return { changes, diff };
}

describe('changesSince on generated tables', () => {
  it('lists only the added file of an append and reads only it', async () => {
    const location = nextDir();
    const { writer, snapshotId } = await regionTable(location);
    const { dataFiles } = await writer.commit({
      dataFiles: [{ batches: [regionBatch('us', span(300, 350))], partition: { region: 'us' } }],
    });
    const table = await openTable({ location });
    const { changes, diff } = await checkChanges(table, snapshotId, {
      added: dataFiles,
      removed: [],
      rewritten: [],
      appendOnly: true,
    });
    expect(diff).toEqual({
      added: span(300, 350)
        .map((i) => row(i, 'us', i * 10))
        .sort(),
      removed: [],
    });
    const plan = await table.plan();
    expect(changes.bytesToRead).toBe(plan.files.find((f) => f.recordedPath === dataFiles[0])?.fileSizeInBytes);
    expect(changes.bytesTotal).toBe(plan.files.reduce((s, f) => s + f.fileSizeInBytes, 0));
    expect(changes.reason).toBe(
      `snapshot ${table.snapshot?.snapshotId} descends from ${snapshotId}: 1 of 4 data files changed`,
    );
    expect(changes.fromSnapshot.snapshotId).toBe(snapshotId);
    expect(changes.toSnapshot.parentSnapshotId).toBe(snapshotId);
  });

  it('lists the replaced and the replacing file of a copy-on-write rewrite', async () => {
    const location = nextDir();
    const { writer, snapshotId, files } = await regionTable(location);
    const kept = span(0, 100).filter((i) => i !== 5 && i !== 7);
    const { dataFiles } = await writer.commit({
      removeDataFiles: [files.eu1],
      dataFiles: [{ batches: [regionBatch('eu', kept), regionBatch('eu', [7], 1)], partition: { region: 'eu' } }],
    });
    const { diff } = await checkChanges(await openTable({ location }), snapshotId, {
      added: dataFiles,
      removed: [files.eu1],
      rewritten: [],
      appendOnly: false,
    });
    expect(diff).toEqual({ added: [row(7, 'eu', 71)], removed: [row(5, 'eu', 50), row(7, 'eu', 70)].sort() });
  });

  it('lists a data file as rewritten when position deletes land on it', async () => {
    const location = nextDir();
    const { writer, snapshotId, files } = await regionTable(location);
    await writer.commit({
      positionDeletes: [{ rows: [3, 4, 99].map((pos) => ({ path: files.us1, pos })), partition: { region: 'us' } }],
    });
    const table = await openTable({ location });
    const { changes, diff } = await checkChanges(table, snapshotId, {
      added: [],
      removed: [],
      rewritten: [files.us1],
      appendOnly: false,
    });
    expect(diff).toEqual({ added: [], removed: [103, 104, 199].map((i) => row(i, 'us', i * 10)).sort() });
    const deletes = (await table.plan()).deleteFiles.reduce((s, d) => s + d.fileSizeInBytes, 0);
    const us1 = (await table.plan()).files.find((f) => f.recordedPath === files.us1)?.fileSizeInBytes as number;
    expect(changes.bytesToRead).toBe(2 * us1 + deletes); // the file as of both sides + the delete file once
  });

  it('reads only the columns a change read asks for, and fetches fewer bytes for them', async () => {
    const location = nextDir();
    const { writer, snapshotId, files } = await regionTable(location);
    await writer.commit({
      positionDeletes: [{ rows: [3, 4, 99].map((pos) => ({ path: files.us1, pos })), partition: { region: 'us' } }],
    });
    const table = await openTable({ location });
    const changes = incremental(await table.changesSince(snapshotId));
    const read = async (columns?: string[]): Promise<{ rows: unknown[]; bytes: number }> => {
      const start = table.bytesRead;
      const rows: unknown[] = [];
      for await (const { batch } of changes.before(columns ? { columns } : {}))
        for (const r of batch.toArray()) rows.push(r.toJSON());
      return { rows, bytes: table.bytesRead - start };
    };
    const whole = await read();
    const keys = await read(['id']);
    expect(keys.rows).toEqual(whole.rows.map((r) => ({ id: (r as { id: bigint }).id })));
    expect(keys.rows).toHaveLength(100);
    expect(keys.bytes).toBeGreaterThan(0);
    expect(keys.bytes).toBeLessThan(whole.bytes);
  });

  it('lists the partition files an equality delete applies to and the file of a merge-on-read update', async () => {
    const location = nextDir();
    const { writer, snapshotId, files } = await regionTable(location);
    const { dataFiles } = await writer.commit({
      equalityDeletes: [{ fieldIds: [1], batches: [smallBatch({ id: [250n, 1000n] })], partition: { region: 'eu' } }],
      dataFiles: [{ batches: [regionBatch('eu', [250], 5)], partition: { region: 'eu' } }],
    });
    const { diff } = await checkChanges(
      await openTable({ location }),
      snapshotId,
      {
        added: dataFiles,
        removed: [],
        rewritten: [files.eu1, files.eu2],
        appendOnly: false,
      },
      false, // 2 of 3 files are rewritten and read on both sides
    );
    expect(diff).toEqual({ added: [row(250, 'eu', 2505)], removed: [row(250, 'eu', 2500)] });
  });

  it('keeps files an equality delete cannot match (manifest bounds) unchanged, unless a null key may match', async () => {
    const location = nextDir();
    const { writer, snapshotId, files } = await regionTable(location, { columnStats: true });
    const { dataFiles } = await writer.commit({
      equalityDeletes: [{ fieldIds: [1], batches: [smallBatch({ id: [250n, 1000n] })], partition: { region: 'eu' } }],
      dataFiles: [{ batches: [regionBatch('eu', [250], 5)], partition: { region: 'eu' } }],
    });
    const { diff } = await checkChanges(await openTable({ location }), snapshotId, {
      added: dataFiles,
      removed: [],
      rewritten: [files.eu2], // eu1 holds ids 0–99: cannot match 250…1000
      appendOnly: false,
    });
    expect(diff).toEqual({ added: [row(250, 'eu', 2505)], removed: [row(250, 'eu', 2500)] });

    const nullable = nextDir();
    const w = await IcebergTableWriter.create({
      location: nullable,
      fields: REGION_FIELDS,
      partitionBy: [{ sourceId: 2, name: 'region' }],
      columnStats: true,
    });
    const vBatch = (ids: number[], v: (number | null)[]) =>
      new Table({
        id: vectorFromArray(ids.map(BigInt), new Int64()),
        region: vectorFromArray(
          ids.map(() => 'eu'),
          new Utf8(),
        ),
        v: vectorFromArray(
          v.map((x) => (x === null ? null : BigInt(x))),
          new Int64(),
        ),
      }).batches[0] as RecordBatch;
    const first = await w.commit({
      dataFiles: [
        { batches: [vBatch([0, 1, 2], [1, 2, null])], partition: { region: 'eu' } },
        { batches: [vBatch([3, 4], [100, 101])], partition: { region: 'eu' } },
        { batches: [vBatch([5, 6], [50, 60])], partition: { region: 'eu' } },
      ],
    });
    const [withNull, overlapping, disjoint] = first.dataFiles as [string, string, string];
    await w.commit({
      equalityDeletes: [
        {
          fieldIds: [3],
          batches: [new Table({ v: vectorFromArray([null, 100n], new Int64()) }).batches[0] as RecordBatch],
          partition: { region: 'eu' },
        },
      ],
    });
    const second = await checkChanges(
      await openTable({ location: nullable }),
      first.snapshotId,
      { added: [], removed: [], rewritten: [withNull, overlapping], appendOnly: false },
      false,
    );
    expect(second.changes.unchangedFiles).toBe(1);
    expect(second.diff).toEqual({ added: [], removed: [row(2, 'eu', NaN), row(3, 'eu', 100)].sort() });
    expect(disjoint).toBeDefined();
  });

  it('accumulates several commits: an append, a delete on the appended file and a rewrite', async () => {
    const location = nextDir();
    const { writer, snapshotId, files } = await regionTable(location);
    const { dataFiles: appended } = await writer.commit({
      dataFiles: [{ batches: [regionBatch('us', span(300, 310))], partition: { region: 'us' } }],
    });
    await writer.commit({
      positionDeletes: [{ rows: [{ path: appended[0] as string, pos: 0 }], partition: { region: 'us' } }],
    });
    const { dataFiles: rewritten } = await writer.commit({
      removeDataFiles: [files.eu2],
      dataFiles: [{ batches: [regionBatch('eu', span(200, 299))], partition: { region: 'eu' } }],
    });
    const { diff } = await checkChanges(await openTable({ location }), snapshotId, {
      added: [...rewritten, ...appended].sort(),
      removed: [files.eu2],
      rewritten: [], // us1 shares the partition of the position delete file, which holds no row of it
      appendOnly: false,
    });
    expect(diff).toEqual({
      added: span(301, 310)
        .map((i) => row(i, 'us', i * 10))
        .sort(),
      removed: [row(299, 'eu', 2990)],
    });
  });

  it('diffs against the snapshot options select instead of the current one', async () => {
    const location = nextDir();
    const { writer, snapshotId } = await regionTable(location);
    const second = await writer.commit({
      dataFiles: [{ batches: [regionBatch('us', [400])], partition: { region: 'us' } }],
    });
    await writer.commit({ dataFiles: [{ batches: [regionBatch('us', [500])], partition: { region: 'us' } }] });
    const table = await openTable({ location });
    const changes = incremental(await table.changesSince(snapshotId, { snapshotId: second.snapshotId }));
    expect(changes.addedFiles).toEqual(second.dataFiles);
    expect(await diffOfChanges(changes)).toEqual({ added: [row(400, 'us', 4000)], removed: [] });
    const back = await table.changesSince(second.snapshotId, { snapshotId });
    expect(back).toEqual({
      incremental: false,
      reason: `snapshot ${second.snapshotId} is not an ancestor of the selected snapshot ${snapshotId} (the table was rolled back or replaced)`,
    });
  });

  it('reports no file for the same snapshot, reads nothing, and accepts the id as a decimal string', async () => {
    const location = nextDir();
    const { snapshotId } = await regionTable(location);
    const table = await openTable({ location });
    const changes = incremental(await table.changesSince(String(snapshotId)));
    expect(changes).toMatchObject({
      reason: `snapshot ${snapshotId} is the current snapshot ${snapshotId}: no data file changed`,
      appendOnly: true,
      addedFiles: [],
      removedFiles: [],
      rewrittenFiles: [],
      unchangedFiles: 3,
      bytesToRead: 0,
    });
    const start = table.bytesRead;
    expect(await diffOfChanges(changes)).toEqual({ added: [], removed: [] });
    expect(table.bytesRead).toBe(start);
    await expect(table.changesSince('not-an-id')).rejects.toThrow(/snapshotId must be a bigint or a decimal string/);
  });

  it('is not incremental when the snapshot expired, or when an ancestor in between expired', async () => {
    const location = nextDir();
    const { writer, snapshotId: first } = await regionTable(location);
    const us = (id: number) => ({ dataFiles: [{ batches: [regionBatch('us', [id])], partition: { region: 'us' } }] });
    const second = await writer.commit(us(400));
    const third = await writer.commit(us(500));
    const original = join(location, 'metadata', 'v4.metadata.json');
    const expire = (id: bigint) => (doc: Record<string, unknown>) => {
      const keep = (s: Record<string, unknown>): boolean => String(s['snapshot-id']) !== String(id);
      doc.snapshots = (doc.snapshots as Record<string, unknown>[]).filter(keep);
      doc['snapshot-log'] = (doc['snapshot-log'] as Record<string, unknown>[]).filter(keep);
    };
    const withoutFirst = await openTable({ metadataUri: await editMetadata(location, expire(first), original) });
    expect(await withoutFirst.changesSince(first)).toEqual({
      incremental: false,
      reason: `snapshot ${first} is no longer in the table metadata (expired)`,
    });
    expect(incremental(await withoutFirst.changesSince(second.snapshotId)).addedFiles).toEqual(third.dataFiles);
    const withoutSecond = await openTable({
      metadataUri: await editMetadata(location, expire(second.snapshotId), original),
    });
    expect(await withoutSecond.changesSince(first)).toEqual({
      incremental: false,
      reason: `cannot tell whether snapshot ${first} is an ancestor of the current snapshot ${third.snapshotId}: its ancestor ${second.snapshotId} expired`,
    });
  });

  it('is not incremental after the writer expired the snapshot, and numbers later snapshots anew', async () => {
    const location = nextDir();
    const { writer, snapshotId: first } = await regionTable(location);
    const second = await writer.commit({
      dataFiles: [{ batches: [regionBatch('us', [400])], partition: { region: 'us' } }],
    });
    await writer.expireSnapshots([first]);
    await expect(writer.expireSnapshots([second.snapshotId])).rejects.toThrow(/is the current snapshot/);
    const expired = await openTable({ metadataUri: writer.metadataLocation });
    expect(expired.snapshot?.snapshotId).toBe(second.snapshotId);
    expect(await expired.changesSince(first)).toEqual({
      incremental: false,
      reason: `snapshot ${first} is no longer in the table metadata (expired)`,
    });
    const third = await writer.commit({
      dataFiles: [{ batches: [regionBatch('us', [500])], partition: { region: 'us' } }],
    });
    expect([first, second.snapshotId]).not.toContain(third.snapshotId);
    const later = await openTable({ metadataUri: writer.metadataLocation });
    expect(incremental(await later.changesSince(second.snapshotId)).addedFiles).toEqual(third.dataFiles);
  });

  it('is not incremental after a rollback to an older snapshot', async () => {
    const location = nextDir();
    const { writer, snapshotId: first } = await regionTable(location);
    const second = await writer.commit({
      dataFiles: [{ batches: [regionBatch('us', [400])], partition: { region: 'us' } }],
    });
    const rolledBack = await openTable({
      metadataUri: await editMetadata(location, (doc) => {
        doc['current-snapshot-id'] = first;
        doc.refs = { main: { 'snapshot-id': first, type: 'branch' } };
      }),
    });
    expect(await rolledBack.changesSince(second.snapshotId)).toEqual({
      incremental: false,
      reason: `snapshot ${second.snapshotId} is not an ancestor of the current snapshot ${first} (the table was rolled back or replaced)`,
    });
  });

  it('is not incremental when the schema changed between the snapshots, and is when only the current schema did', async () => {
    const location = nextDir();
    const { writer, snapshotId } = await regionTable(location);
    await writer.evolveSchema([
      { id: 1, name: 'id', required: true, type: 'long' },
      { id: 2, name: 'region', required: false, type: 'string' },
      { id: 3, name: 'v', required: false, type: 'long' },
      { id: 4, name: 'note', required: false, type: 'string' },
    ]);
    const sameSnapshot = incremental(await (await openTable({ location })).changesSince(snapshotId));
    expect(sameSnapshot.addedFiles).toEqual([]);
    const next = await writer.commit({
      dataFiles: [
        { batches: [smallBatch({ id: [1n], region: ['us'], v: [1n], note: ['x'] })], partition: { region: 'us' } },
      ],
    });
    expect(await (await openTable({ location })).changesSince(snapshotId)).toEqual({
      incremental: false,
      reason: `the schema changed between snapshot ${snapshotId} (schema 0) and ${next.snapshotId} (schema 1)`,
    });
    // snapshots without schema-id (v1 writers) in a table with several schemas: cannot tell
    const unknown = await openTable({
      metadataUri: await editMetadata(location, (doc) => {
        for (const s of doc.snapshots as Record<string, unknown>[]) delete s['schema-id'];
      }),
    });
    expect(await unknown.changesSince(snapshotId)).toEqual({
      incremental: false,
      reason: `the schema changed between snapshot ${snapshotId} (schema unknown) and ${next.snapshotId} (schema unknown): the snapshots record no schema id and the table has several schemas`,
    });
  });

  it('stops a change read when its signal is aborted', async () => {
    const location = nextDir();
    const { writer, snapshotId } = await regionTable(location);
    await writer.commit({ dataFiles: [{ batches: [regionBatch('us', [400])], partition: { region: 'us' } }] });
    const table = await openTable({ location });
    const changes = incremental(await table.changesSince(snapshotId));
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      diffOfChanges({ ...changes, after: () => changes.after({ signal: controller.signal }) }),
    ).rejects.toThrow('stop');
    await expect(table.changesSince(snapshotId, { signal: controller.signal })).rejects.toThrow('stop');
  });

  it('is not incremental for a table without a snapshot', async () => {
    const location = nextDir();
    const { IcebergTableWriter } = await import('../src/testing/index.js');
    await IcebergTableWriter.create({ location, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] });
    expect(await (await openTable({ location })).changesSince(1n)).toEqual({
      incremental: false,
      reason: 'the table has no current snapshot',
    });
  });
});
