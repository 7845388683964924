import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  IcebergCatalogError,
  IcebergMetadataError,
  IcebergNotFoundError,
  IcebergUnsupportedError,
  LakehouseConfigError,
  StorageError,
  isIcebergCatalogError,
  isIcebergMetadataError,
  isIcebergNotFoundError,
  isIcebergUnsupportedError,
  isLakehouseConfigError,
  isLakehouseError,
  isStorageError,
  openTable,
} from '../src/index.js';
import { IcebergTableWriter } from '../src/testing/index.js';
import { writeParquetFile } from '../src/testing/write-parquet-file.js';
import { tempDir } from './support/fixtures.js';
import { ID_FIELDS, idBatches, smallBatch } from './support/generate.js';
import { collect } from './support/rows.js';

let root: string;
let cleanup: () => Promise<void>;
let n = 0;
const nextDir = (): string => join(root, `e${n++}`);

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir());
});
afterAll(async () => cleanup());

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('errors', () => {
  it('brands every error class and sets name, category and cause', () => {
    const cause = new Error('root');
    const cases: [Error, (e: unknown) => boolean, string, string][] = [
      [
        new IcebergUnsupportedError('ORC data files', undefined, { cause }),
        isIcebergUnsupportedError,
        'IcebergUnsupportedError',
        'PERMANENT',
      ],
      [
        new IcebergNotFoundError('/x', undefined, { cause }),
        isIcebergNotFoundError,
        'IcebergNotFoundError',
        'PERMANENT',
      ],
      [
        new IcebergMetadataError('bad', { cause, location: '/m' }),
        isIcebergMetadataError,
        'IcebergMetadataError',
        'PERMANENT',
      ],
      [
        new LakehouseConfigError('bad', { cause, keyPath: 'config.x' }),
        isLakehouseConfigError,
        'LakehouseConfigError',
        'CONFIGURATION',
      ],
      [new IcebergCatalogError('down', 503, { cause }), isIcebergCatalogError, 'IcebergCatalogError', 'TRANSIENT'],
      [
        new StorageError('denied', { location: 's3://b/k', status: 403, cause }),
        isStorageError,
        'StorageError',
        'CONFIGURATION',
      ],
    ];
    for (const [error, guard, name, category] of cases) {
      expect(error.name).toBe(name);
      expect((error as unknown as { category: string }).category).toBe(category);
      expect(error.cause).toBe(cause);
      expect(guard(error)).toBe(true);
      expect(isLakehouseError(error)).toBe(true);
      expect(error).toBeInstanceOf(Error);
    }
    expect(isIcebergUnsupportedError(new Error('x'))).toBe(false);
    expect(isLakehouseError({ name: 'IcebergUnsupportedError' })).toBe(false);
    expect(isLakehouseError(null)).toBe(false);
    expect(new IcebergUnsupportedError('ORC data files').message).toBe('Unsupported Iceberg feature: ORC data files');
    expect(new IcebergCatalogError('x', 404).category).toBe('PERMANENT');
    expect(new IcebergCatalogError('x', 0).category).toBe('TRANSIENT');
  });

  it('names the path when the table folder does not exist', async () => {
    const missing = join(root, 'no-such-table');
    const error = await failure(openTable({ location: missing }));
    expect(isIcebergNotFoundError(error)).toBe(true);
    expect((error as Error).message).toContain(missing);
    const missingMetadata = await failure(openTable({ metadataUri: join(missing, 'metadata', 'v1.metadata.json') }));
    expect(isIcebergNotFoundError(missingMetadata)).toBe(true);
    expect((missingMetadata as Error).message).toContain(missing);
  });

  it('refuses ORC data files with an unsupported-feature error before yielding rows', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({ location, fields: ID_FIELDS });
    await writer.commit({
      dataFiles: [{ batches: idBatches(0, 3) }],
      externalDataFiles: [{ path: `${location}/data/x.orc`, format: 'ORC', recordCount: 3, fileSizeInBytes: 10 }],
    });
    const table = await openTable({ location });
    const error = await failure(collect(table.batches()));
    expect(isIcebergUnsupportedError(error)).toBe(true);
    expect((error as IcebergUnsupportedError).feature).toBe('ORC data files');
    expect((error as Error).message).toContain('x.orc');
  });

  it('refuses v3 deletion vectors with an unsupported-feature error', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({ location, fields: ID_FIELDS, formatVersion: 3 });
    const { dataFiles } = await writer.commit({ dataFiles: [{ batches: idBatches(0, 3) }] });
    await writer.commit({ deletionVectors: [{ referencedDataFile: dataFiles[0] as string }] });
    const table = await openTable({ location });
    const error = await failure(table.count());
    expect(isIcebergUnsupportedError(error)).toBe(true);
    expect((error as IcebergUnsupportedError).feature).toBe('deletion vectors (Iceberg v3)');
    expect((error as IcebergUnsupportedError).category).toBe('PERMANENT');
  });

  it('refuses unknown format versions, encrypted tables and unknown column types', async () => {
    const location = nextDir();
    await IcebergTableWriter.create({
      location,
      fields: [...ID_FIELDS, { id: 9, name: 'v', required: false, type: 'variant' }],
    });
    const metadataPath = join(location, 'metadata', 'v1.metadata.json');
    const original = await readFile(metadataPath, 'utf8');
    const table = await openTable({ location });
    const typeError = (() => {
      try {
        return table.schema;
      } catch (e) {
        return e;
      }
    })();
    expect(isIcebergUnsupportedError(typeError)).toBe(true);
    expect((typeError as Error).message).toMatch(/"v" has the unsupported Iceberg type variant/);
    expect(table.schemaFor({ columns: ['id'] }).fields).toHaveLength(1);
    await writeFile(
      metadataPath,
      original
        .replace('"format-version" : 2', '"format-version" : 4')
        .replace('"format-version": 2', '"format-version": 4'),
    );
    const v4 = await failure(openTable({ location }));
    expect(isIcebergUnsupportedError(v4)).toBe(true);
    expect((v4 as Error).message).toMatch(/format version 4/);
    const doc = JSON.parse(original) as Record<string, unknown>;
    await writeFile(metadataPath, JSON.stringify({ ...doc, 'encryption-keys': [{ 'key-id': 'k' }] }));
    expect(isIcebergUnsupportedError(await failure(openTable({ location })))).toBe(true);
    await writeFile(metadataPath, '{ not json');
    expect(isIcebergMetadataError(await failure(openTable({ location })))).toBe(true);
    await writeFile(metadataPath, JSON.stringify({ ...doc, location: undefined }));
    expect(await failure(openTable({ location }))).toBeInstanceOf(IcebergMetadataError);
  });

  it('refuses data files without field ids when the table has no name mapping', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({ location, fields: ID_FIELDS });
    const path = join(location, 'data', 'plain.parquet');
    const written = await writeParquetFile(path, [smallBatch({ id: [1n] })], []);
    await writer.commit({ externalDataFiles: [{ path, format: 'PARQUET', ...written }] });
    const error = await failure(collect((await openTable({ location })).batches()));
    expect(isIcebergUnsupportedError(error)).toBe(true);
    expect((error as Error).message).toMatch(/no Parquet field ids/);
  });

  it('reports a metadata error naming the file when a data file is not Parquet', async () => {
    const location = nextDir();
    const writer = await IcebergTableWriter.create({ location, fields: ID_FIELDS });
    const path = join(location, 'data', 'broken.parquet');
    await writeFile(path, 'this is not parquet at all');
    await writer.commit({ externalDataFiles: [{ path, format: 'PARQUET', recordCount: 1, fileSizeInBytes: 26 }] });
    const error = await failure(collect((await openTable({ location })).batches()));
    expect(isIcebergMetadataError(error)).toBe(true);
    expect((error as Error).message).toContain('broken.parquet');
  });

  it('refuses storage schemes it cannot read', async () => {
    const error = await failure(openTable({ metadataUri: 'gs://bucket/t/metadata/v1.metadata.json' }));
    expect(isIcebergUnsupportedError(error)).toBe(true);
    expect((error as IcebergUnsupportedError).feature).toBe('gs:// storage');
  });
});
