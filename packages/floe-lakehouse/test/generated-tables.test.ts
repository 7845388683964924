import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openTable, readTable } from '../src/index.js';
import { IcebergTableWriter } from '../src/testing/index.js';
import { writeParquetFile } from '../src/testing/write-parquet-file.js';
import { tempDir } from './support/fixtures.js';
import { ID_FIELDS, idBatches, smallBatch } from './support/generate.js';
import { collect, rowsOf, sortBy } from './support/rows.js';

let root: string;
let cleanup: () => Promise<void>;
let n = 0;
const nextDir = (): string => join(root, `t${n++}`);

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir());
});
afterAll(async () => cleanup());

async function ids(
  location: string,
  options: Parameters<Awaited<ReturnType<typeof openTable>>['batches']>[0] = {},
): Promise<bigint[]> {
  const table = await openTable({ location });
  return rowsOf(await collect(table.batches({ ...options, columns: ['id'] })))
    .map((r) => r.id as bigint)
    .sort((a, b) => (a < b ? -1 : 1));
}

const range = (from: number, to: number): bigint[] => Array.from({ length: to - from }, (_, i) => BigInt(from + i));

describe('generated tables', () => {
  it('reads a v1 table when the metadata has a single schema and partition-spec', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({ location, fields: ID_FIELDS, formatVersion: 1 });
    await writer.commit({ dataFiles: [{ batches: idBatches(0, 10) }] });
    await writer.commit({ dataFiles: [{ batches: idBatches(10, 5) }] });
    const table = await openTable({ location });
    expect(table.formatVersion).toBe(1);
    expect(await ids(location)).toEqual(range(0, 15));
    expect(await table.count()).toBe(15);
  });

  it('removes rows by position across several data files and row groups when position deletes exist', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({ location, fields: ID_FIELDS });
    const { dataFiles } = await writer.commit({
      dataFiles: [
        { batches: idBatches(0, 1000, 300), rowGroupSize: 250 },
        { batches: idBatches(1000, 1000, 300), rowGroupSize: 250 },
      ],
    });
    const [a, b] = dataFiles as [string, string];
    await writer.commit({
      positionDeletes: [
        {
          rows: [
            { path: a, pos: 0 },
            { path: a, pos: 249 },
            { path: a, pos: 250 },
            { path: b, pos: 999 },
            { path: b, pos: 999 },
          ],
        },
      ],
    });
    const expected = range(0, 2000).filter((v) => ![0n, 249n, 250n, 1999n].includes(v));
    expect(await ids(location, { batchSize: 100 })).toEqual(expected);
    const table = await openTable({ location });
    expect(await table.count()).toBe(1996);
    const plan = await table.plan();
    expect(plan.estimatedRowCount).toBe(1995);
  });

  it('skips a data file entirely when every row is deleted by position', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({ location, fields: ID_FIELDS });
    const { dataFiles } = await writer.commit({
      dataFiles: [{ batches: idBatches(0, 3) }, { batches: idBatches(3, 2) }],
    });
    await writer.commit({
      positionDeletes: [{ rows: [0, 1, 2].map((pos) => ({ path: dataFiles[0] as string, pos })) }],
    });
    expect(await ids(location)).toEqual([3n, 4n]);
    expect(await (await openTable({ location })).count()).toBe(2);
  });

  it('applies equality deletes only to data files with a lower sequence number', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({ location, fields: ID_FIELDS });
    await writer.commit({ dataFiles: [{ batches: idBatches(0, 10) }] });
    await writer.commit({
      equalityDeletes: [{ fieldIds: [2], batches: [smallBatch({ name: ['name-3', 'name-12'] })] }],
    });
    await writer.commit({ dataFiles: [{ batches: idBatches(10, 5) }] });
    await writer.commit({
      equalityDeletes: [{ fieldIds: [1, 2], batches: [smallBatch({ id: [13n, 14n], name: ['name-13', 'nope'] })] }],
    });
    expect(await ids(location)).toEqual([...range(0, 15)].filter((v) => v !== 3n && v !== 13n));
    expect(await (await openTable({ location })).count()).toBe(13);
  });

  it('scopes equality deletes to their partition and fills a partition column missing from the file', async () => {
    const location = nextDir();
    const fields = [...ID_FIELDS, { id: 4, name: 'region', required: false, type: 'string' }];
    const writer = await IcebergTableWriter.create({
      location,
      fields,
      partitionBy: [{ sourceId: 4, name: 'region' }],
    });
    await writer.commit({
      dataFiles: [
        {
          batches: [smallBatch({ id: [1n, 2n], name: ['a', 'b'], region: ['eu', 'eu'] })],
          partition: { region: 'eu' },
        },
        // the partition source column is not in this file: its value comes from the manifest
        { batches: [smallBatch({ id: [1n, 3n], name: ['a', 'c'] })], partition: { region: 'us' } },
      ],
    });
    await writer.commit({
      equalityDeletes: [{ fieldIds: [1], batches: [smallBatch({ id: [1n] })], partition: { region: 'eu' } }],
    });
    const table = await openTable({ location });
    const rows = sortBy(rowsOf(await collect(table.batches({ columns: ['id', 'region'] }))), 'id');
    expect(rows).toEqual([
      { id: 1n, region: 'us' },
      { id: 2n, region: 'eu' },
      { id: 3n, region: 'us' },
    ]);
    expect((await table.plan()).files.map((f) => f.partition)).toEqual([{ region: 'eu' }, { region: 'us' }]);
  });

  it('skips files of DELETED manifest entries when an overwrite removed them', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({ location, fields: ID_FIELDS });
    const first = await writer.commit({ dataFiles: [{ batches: idBatches(0, 5) }, { batches: idBatches(5, 5) }] });
    await writer.commit({
      removeDataFiles: [first.dataFiles[0] as string],
      dataFiles: [{ batches: idBatches(100, 2) }],
    });
    expect(await ids(location)).toEqual([5n, 6n, 7n, 8n, 9n, 100n, 101n]);
    expect(await ids(location, { snapshotId: first.snapshotId })).toEqual(range(0, 10));
  });

  it('follows schema evolution by field id when columns are promoted, renamed and added with defaults', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({
      location,
      formatVersion: 3,
      fields: [
        { id: 1, name: 'id', required: true, type: 'long' },
        { id: 2, name: 'qty', required: false, type: 'int' },
        { id: 3, name: 'label', required: false, type: 'string' },
      ],
    });
    await writer.commit({ dataFiles: [{ batches: [smallBatch({ id: [1n, 2n], qty: [-5, 7], label: ['x', null] })] }] });
    await writer.evolveSchema([
      { id: 1, name: 'id', required: true, type: 'long' },
      { id: 2, name: 'quantity', required: false, type: 'long' },
      { id: 3, name: 'tag', required: false, type: 'string' },
      { id: 4, name: 'status', required: false, type: 'string', 'initial-default': 'new' },
      {
        id: 5,
        name: 'extra',
        required: false,
        type: {
          type: 'struct',
          fields: [{ id: 6, name: 'flag', required: false, type: 'boolean', 'initial-default': true }],
        },
        'initial-default': {},
      },
    ]);
    const table = await openTable({ location });
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'id:Int64',
      'quantity:Int64',
      'tag:Utf8',
      'status:Utf8',
      'extra:Struct<{flag:Bool}>',
    ]);
    expect(rowsOf(await collect(table.batches()))).toEqual([
      { id: 1n, quantity: -5n, tag: 'x', status: 'new', extra: { flag: true } },
      { id: 2n, quantity: 7n, tag: null, status: 'new', extra: { flag: true } },
    ]);
  });

  it('opens a moved table when the recorded location is unreachable', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({
      location,
      fields: ID_FIELDS,
      recordedLocation: 's3a://old-bucket/warehouse/gold/t',
    });
    await writer.commit({ dataFiles: [{ batches: idBatches(0, 4) }] });
    const table = await openTable({ location });
    expect(table.location).toBe(location);
    expect((await table.plan()).files[0]?.recordedPath).toMatch(/^s3a:\/\/old-bucket\/warehouse\/gold\/t\/data\//);
    expect(await ids(location)).toEqual(range(0, 4));
  });

  it('picks the newest numbered metadata file when there is no version-hint', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({ location, fields: ID_FIELDS, versionHint: false });
    await writer.commit({ dataFiles: [{ batches: idBatches(0, 2) }] });
    await writer.commit({ dataFiles: [{ batches: idBatches(2, 2) }] });
    await expect(stat(join(location, 'metadata', 'version-hint.text'))).rejects.toThrow();
    expect(await ids(location)).toEqual(range(0, 4));
  });

  it('reads an older metadata file when opened by metadataUri', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({ location, fields: ID_FIELDS });
    await writer.commit({ dataFiles: [{ batches: idBatches(0, 2) }] });
    await writer.commit({ dataFiles: [{ batches: idBatches(2, 2) }] });
    const older = await openTable({ metadataUri: join(location, 'metadata', 'v2.metadata.json') });
    expect(await older.count()).toBe(2);
    const latest = await openTable({ location: join(location, 'metadata', 'v3.metadata.json') });
    expect(await latest.count()).toBe(4);
    const rows: bigint[] = [];
    for await (const batch of readTable({
      metadataUri: `file://${join(location, 'metadata', 'v3.metadata.json')}`,
      columns: ['id'],
      batchSize: 1,
    })) {
      expect(batch.numRows).toBe(1);
      rows.push(batch.getChild('id')?.get(0) as bigint);
    }
    expect(rows.sort()).toEqual(range(0, 4));
  });

  it('yields no batches and counts 0 when the table has no snapshot', async () => {
    const location = nextDir();
    await IcebergTableWriter.create({ location, fields: ID_FIELDS });
    const table = await openTable({ location });
    expect(table.snapshot).toBeNull();
    expect(await collect(table.batches())).toEqual([]);
    expect(await table.count()).toBe(0);
    expect((await table.plan()).files).toEqual([]);
  });

  it('reads data files without field ids through the name mapping property', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({
      location,
      fields: ID_FIELDS,
      properties: {
        'schema.name-mapping.default': JSON.stringify([
          { 'field-id': 1, names: ['id'] },
          { 'field-id': 2, names: ['name', 'label'] },
        ]),
      },
    });
    const path = join(location, 'data', 'no-ids.parquet');
    const written = await writeParquetFile(path, [smallBatch({ id: [7n], label: ['seven'] })], []);
    await writer.commit({ externalDataFiles: [{ path, format: 'PARQUET', ...written }] });
    expect(rowsOf(await collect((await openTable({ location })).batches()))).toEqual([
      { id: 7n, name: 'seven', amount: null },
    ]);
  });
});
