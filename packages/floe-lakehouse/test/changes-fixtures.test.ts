import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { isIcebergNotFoundError, openTable, type IcebergTable, type TableChanges } from '../src/index.js';
import { fixture } from './support/fixtures.js';
import { diffOfChanges, diffOfScans, incremental, multisetDiff, rowTexts } from './support/row-diff.js';

const EQUALITY = 'duckdb-iceberg/equality_deletes/warehouse/mydb/mytable';
const BUNNIES = 'icebird/spark/bunnies';

const version = (table: string, v: number): Promise<IcebergTable> =>
  openTable({ metadataUri: join(fixture(table), `metadata/v${v}.metadata.json`) });

/** What changesSince(previous version's snapshot) must report on each version. */
interface Expected {
  incremental: boolean;
  reason: RegExp;
  added?: number;
  removed?: number;
  rewritten?: number;
  unchanged?: number;
  appendOnly?: boolean;
}

const EQUALITY_PAIRS: Record<number, Expected> = {
  // v3's manifest list is missing from the fixture: from v3 nothing can be planned
  4: { incremental: false, reason: /^the manifests of snapshot 7342794868382145167 cannot be read \(File not found/ },
  5: {
    incremental: true,
    reason: /^snapshot 842401149381792626 descends from 1584331123492059582: 1 of 1 data files changed$/,
    added: 0,
    removed: 0,
    rewritten: 1,
    unchanged: 0,
    appendOnly: false,
  },
  6: {
    incremental: true,
    reason: /: 1 of 2 data files changed$/,
    added: 1,
    removed: 0,
    rewritten: 0,
    unchanged: 1,
    appendOnly: true,
  },
  // the equality delete (id 6) is global, but the manifest bounds of the older file (ids 1–4) rule it out
  7: {
    incremental: true,
    reason: /: 1 of 2 data files changed$/,
    added: 0,
    removed: 0,
    rewritten: 1,
    unchanged: 1,
    appendOnly: false,
  },
};

const BUNNIES_PAIRS: Record<number, Expected> = {
  2: {
    incremental: true,
    reason: /no data file changed$/,
    added: 0,
    removed: 0,
    rewritten: 0,
    unchanged: 1,
    appendOnly: true,
  },
  3: {
    incremental: true,
    reason: /: 1 of 1 data files changed$/,
    added: 0,
    removed: 0,
    rewritten: 1,
    unchanged: 0,
    appendOnly: false,
  },
  // the current schema changed, the snapshot did not
  4: {
    incremental: true,
    reason: /no data file changed$/,
    added: 0,
    removed: 0,
    rewritten: 0,
    unchanged: 1,
    appendOnly: true,
  },
  5: {
    incremental: false,
    reason:
      /^the schema changed between snapshot 469881615898633426 \(schema 0\) and 2701171901096418979 \(schema 1\)$/,
  },
};

async function checkPair(table: string, v: number, expected: Expected): Promise<TableChanges> {
  const previous = await version(table, v - 1);
  const current = await version(table, v);
  const from = previous.snapshot?.snapshotId as bigint;
  const changes = await current.changesSince(from);
  expect(changes.incremental).toBe(expected.incremental);
  expect(changes.reason).toMatch(expected.reason);
  if (!changes.incremental) return changes;
  expect({
    added: changes.addedFiles.length,
    removed: changes.removedFiles.length,
    rewritten: changes.rewrittenFiles.length,
    unchanged: changes.unchangedFiles,
    appendOnly: changes.appendOnly,
  }).toEqual({
    added: expected.added,
    removed: expected.removed,
    rewritten: expected.rewritten,
    unchanged: expected.unchanged,
    appendOnly: expected.appendOnly,
  });
  expect(changes.fromSnapshot.snapshotId).toBe(from);
  expect(changes.toSnapshot.snapshotId).toBe(current.snapshot?.snapshotId);
  const fromChanges = await diffOfChanges(changes);
  // the independent diff: two full scans of the table at this version (time travel, current schema)
  expect(fromChanges).toEqual(await diffOfScans(current, from));
  // … and, when the current schema is the same, the full scans of the two versions as opened
  if (previous.schema.fields.map(String).join() === current.schema.fields.map(String).join()) {
    expect(fromChanges).toEqual(multisetDiff(await rowTexts(previous.batches()), await rowTexts(current.batches())));
  }
  // a column selection reads the same files, fewer columns
  const key = current.schema.fields[0]?.name as string;
  const narrow = incremental(await current.changesSince(from, { columns: [key] }));
  expect(await diffOfChanges(narrow)).toEqual(await diffOfScans(current, from, [key]));
  return changes;
}

describe('changesSince on real tables, for each version against the previous one', () => {
  it.each(Object.entries(EQUALITY_PAIRS))(
    'reports v%s of duckdb-iceberg equality_deletes and its rows equal the full-scan diff',
    async (v, expected) => {
      await checkPair(EQUALITY, Number(v), expected);
    },
  );

  it.each(Object.entries(BUNNIES_PAIRS))(
    'reports v%s of icebird/spark/bunnies and its rows equal the full-scan diff',
    async (v, expected) => {
      await checkPair(BUNNIES, Number(v), expected);
    },
  );

  it('returns the exact rows an equality delete removed and an append added (duckdb v5, v6)', async () => {
    const v5 = incremental(await (await version(EQUALITY, 5)).changesSince(1584331123492059582n));
    expect(await diffOfChanges(v5)).toEqual({ added: [], removed: ['{"id":3,"name":"c","bir":"2025-01-03"}'] });
    const v6 = incremental(await (await version(EQUALITY, 6)).changesSince('842401149381792626'));
    expect(await diffOfChanges(v6)).toEqual({
      added: ['{"id":5,"name":"e","bir":"2025-01-05"}', '{"id":6,"name":"f","bir":"2025-01-06"}'],
      removed: [],
    });
    expect(v6.bytesToRead).toBeLessThan(v6.bytesTotal);
  });

  it('has no previous snapshot for v1 → v2 and fails like a full scan on v3 whose manifest list is missing', async () => {
    expect((await version(EQUALITY, 1)).snapshot).toBeNull();
    const v3 = await version(EQUALITY, 3);
    const error = await v3.changesSince(853766660775201079n).catch((e: unknown) => e);
    expect(isIcebergNotFoundError(error)).toBe(true);
    const scan = await rowTexts(v3.batches()).catch((e: unknown) => e);
    expect(isIcebergNotFoundError(scan)).toBe(true);
  });

  it('reports table-uuid of a fixture and reads the whole table when no snapshot is current', async () => {
    const v1 = await version(EQUALITY, 1);
    expect(v1.tableUuid).toBe('96247900-66da-4f86-9cbe-c81dbcf8420f');
    expect(await v1.changesSince(853766660775201079n)).toEqual({
      incremental: false,
      reason: 'the table has no current snapshot',
    });
  });
});
