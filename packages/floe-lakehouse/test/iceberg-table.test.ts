import { describe, expect, it } from '@jest/globals';
import { openTable, readTable, isIcebergNotFoundError, isLakehouseConfigError } from '../src/index.js';
import { fixture } from './support/fixtures.js';
import { collect, rowsOf } from './support/rows.js';

const JAVA_BUNNIES = 'icebird/java/bunnies';
const FIRST = 4951213507629824583n;
const SECOND = 6458828015811002920n;
const THIRD = 9158179788527662767n;

describe('IcebergTable', () => {
  it('exposes the current snapshot with a 64-bit id when the id exceeds 2^53', async () => {
    const table = await openTable({ location: fixture(JAVA_BUNNIES) });
    expect(table.snapshot).toMatchObject({
      snapshotId: THIRD,
      parentSnapshotId: SECOND,
      sequenceNumber: 3n,
      timestampMs: 1743410800565,
      operation: 'overwrite',
    });
    expect(table.snapshots().map((s) => s.snapshotId)).toEqual([FIRST, SECOND, THIRD]);
    expect(table.formatVersion).toBe(2);
    expect(table.location).toBe(fixture(JAVA_BUNNIES));
    expect(table.metadataLocation).toBe(fixture(`${JAVA_BUNNIES}/metadata/v5.metadata.json`));
    expect(table.properties['write.parquet.compression-codec']).toBe('zstd');
    expect(table.identifier).toBeUndefined();
  });

  it('reads an older snapshot when selected by id', async () => {
    const table = await openTable({ location: fixture(JAVA_BUNNIES) });
    const first = rowsOf(await collect(table.batches({ snapshotId: FIRST })));
    expect(first).toHaveLength(21);
    expect(first.some((r) => r['Breed Name'] === 'Flemish Giant')).toBe(true);
    const second = rowsOf(await collect(table.batches({ snapshotId: String(SECOND) })));
    expect(second).toHaveLength(15);
    expect(second.some((r) => r['Breed Name'] === 'Flemish Giant')).toBe(false);
    expect(second.some((r) => r['Breed Name'] === 'New Zealand' && r.__happy__ === null)).toBe(true);
  });

  it('picks the snapshot current at a timestamp when selected by asOfTimestampMs', async () => {
    const table = await openTable({ location: fixture(JAVA_BUNNIES) });
    expect((await table.plan({ asOfTimestampMs: 1743410790000 })).snapshot?.snapshotId).toBe(FIRST);
    expect((await table.plan({ asOfTimestampMs: 1743410793010 })).snapshot?.snapshotId).toBe(SECOND);
    expect(await table.count({ asOfTimestampMs: 1743410790000 })).toBe(21);
    const lineitem = await openTable({ location: fixture('duckdb-iceberg/iceberg/lineitem_iceberg') });
    expect(await lineitem.count({ asOfTimestampMs: 1746188479500 })).toBe(60_175);
    expect(await lineitem.count()).toBe(51_793);
  });

  it('throws a not-found error when no snapshot precedes the timestamp or the id is unknown', async () => {
    const table = await openTable({ location: fixture(JAVA_BUNNIES) });
    await expect(table.plan({ asOfTimestampMs: 1_000 })).rejects.toThrow(/no snapshot at or before/);
    const error = await table.plan({ snapshotId: 42n }).catch((e: unknown) => e);
    expect(isIcebergNotFoundError(error)).toBe(true);
    expect(() => table.schemaFor({ snapshotId: 1n, ref: 'main' })).toThrow(/at most one/);
    expect(() => table.schemaFor({ snapshotId: 'abc' })).toThrow(/decimal string/);
    expect(() => table.schemaFor({ ref: 'nope' })).toThrow(/no branch or tag named "nope"/);
    expect(table.schemaFor({ ref: 'main' }).fields).toHaveLength(9);
  });

  it('uses the schema of the snapshot when useSnapshotSchema is set', async () => {
    const table = await openTable({ location: fixture(JAVA_BUNNIES) });
    expect(table.schemaFor({ snapshotId: FIRST }).fields).toHaveLength(9);
    expect(table.schemaFor({ snapshotId: FIRST, useSnapshotSchema: true }).fields).toHaveLength(8);
    const batches = await collect(table.batches({ snapshotId: FIRST, useSnapshotSchema: true }));
    expect(batches[0]?.schema.fields.map((f) => f.name)).not.toContain('__happy__');
  });

  it('plans files with their delete files and estimates the row count when deletes apply', async () => {
    const table = await openTable({ location: fixture(JAVA_BUNNIES) });
    const plan = await table.plan();
    expect(plan.snapshot?.snapshotId).toBe(THIRD);
    expect(plan.files).toHaveLength(2);
    expect(plan.recordCount).toBe(22);
    expect(plan.exact).toBe(false);
    expect(plan.estimatedRowCount).toBe(16);
    const initial = plan.files.find((f) => f.recordCount === 21);
    expect(initial?.path).toBe(fixture(`${JAVA_BUNNIES}/data/bunnies-initial.parquet`));
    expect(initial?.recordedPath).toBe('s3a://hyperparam-iceberg/java/bunnies/data/bunnies-initial.parquet');
    expect(initial?.deleteFiles.map((d) => d.content).sort()).toEqual(['equality', 'position']);
    expect(plan.deleteFiles.find((d) => d.content === 'equality')?.equalityFieldIds).toEqual([1]);
    expect(plan.files.find((f) => f.recordCount === 1)?.deleteFiles).toEqual([]);
    expect(await table.count()).toBe(15);
  });

  it('projects and orders columns when columns are given', async () => {
    const table = await openTable({ location: fixture(JAVA_BUNNIES) });
    const schema = table.schemaFor({ columns: ['Popularity Rank', 'Breed Name'] });
    expect(schema.fields.map((f) => f.name)).toEqual(['Popularity Rank', 'Breed Name']);
    expect(schema.fields[0]?.metadata.get('iceberg.field_id')).toBe('8');
    const rows = rowsOf(await collect(table.batches({ columns: ['Popularity Rank', 'Breed Name'], batchSize: 4 })));
    expect(rows).toHaveLength(15);
    expect(Object.keys(rows[0] ?? {})).toEqual(['Popularity Rank', 'Breed Name']);
    const error = (() => {
      try {
        table.schemaFor({ columns: ['missing'] });
      } catch (e) {
        return e;
      }
    })();
    expect(isLakehouseConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(/Unknown column "missing"/);
  });

  it('yields batches of at most batchSize rows when batchSize is small', async () => {
    const table = await openTable({ location: fixture('duckdb-iceberg/iceberg/lineitem_iceberg') });
    let max = 0;
    let rows = 0;
    for await (const batch of table.batches({ columns: ['l_orderkey'], batchSize: 5000 })) {
      max = Math.max(max, batch.numRows);
      rows += batch.numRows;
    }
    expect(max).toBe(5000);
    expect(rows).toBe(51_793);
  });

  it('stops with the abort reason when the signal is aborted mid-stream', async () => {
    const table = await openTable({ location: fixture('duckdb-iceberg/iceberg/lineitem_iceberg') });
    const controller = new AbortController();
    const seen: number[] = [];
    const run = async (): Promise<void> => {
      for await (const batch of table.batches({ batchSize: 1000, signal: controller.signal })) {
        seen.push(batch.numRows);
        controller.abort(new Error('stop now'));
      }
    };
    await expect(run()).rejects.toThrow('stop now');
    expect(seen).toHaveLength(1);
    const aborted = AbortSignal.abort();
    await expect(openTable({ location: fixture(JAVA_BUNNIES), signal: aborted })).rejects.toThrow();
    await expect(table.count({ signal: aborted })).rejects.toThrow();
    await expect(collect(readTable({ location: fixture(JAVA_BUNNIES), signal: aborted }))).rejects.toThrow();
    await expect(table.plan({ signal: aborted })).rejects.toThrow();
  });

  it('releases the file when the consumer stops early', async () => {
    const table = await openTable({ location: fixture('duckdb-iceberg/iceberg/lineitem_iceberg') });
    for await (const batch of table.batches({ batchSize: 100 })) {
      expect(batch.numRows).toBe(100);
      break;
    }
    expect(await table.count()).toBe(51_793);
  });
});
