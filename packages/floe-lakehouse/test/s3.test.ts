import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  getSourceConfig,
  isIcebergNotFoundError,
  isStorageError,
  openTable,
  type RestCatalogSourceConfig,
  type StorageError,
} from '../src/index.js';
import { fixture, tempDir } from './support/fixtures.js';
import { startRestCatalog } from './support/rest-catalog-server.js';
import { collect, rowsOf } from './support/rows.js';
import { startS3 } from './support/s3-server.js';

const ENV_KEYS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_S3',
];
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
let s3: Awaited<ReturnType<typeof startS3>>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const tmp = await tempDir('floe-s3-');
  cleanup = tmp.cleanup;
  s3 = await startS3(join(tmp.dir, 's3'), ['warehouse'], { S3RVER: 'S3RVER', VENDEDKEY: 'vended-secret' });
  await s3.upload(fixture('icebird/java/bunnies'), 'warehouse', 'java/bunnies');
  await s3.upload(fixture('duckdb-iceberg/iceberg/lineitem_iceberg'), 'warehouse', 'tpch/lineitem');
  await s3.upload(fixture('icebird/athena/example'), 'warehouse', 'athena/example');
  for (const k of ENV_KEYS) delete process.env[k];
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' });
});

afterAll(async () => {
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  await s3.close();
  await cleanup();
});

describe('S3 storage', () => {
  it('reads a moved table from S3 with SigV4-signed requests using the AWS_* credentials', async () => {
    s3.requests.length = 0;
    const table = await openTable({ location: 's3://warehouse/java/bunnies', s3: { endpoint: s3.endpoint } });
    expect(table.location).toBe('s3://warehouse/java/bunnies');
    const rows = rowsOf(await collect(table.batches({ columns: ['Breed Name', 'Popularity Rank'] })));
    expect(rows).toHaveLength(15);
    expect(rows.some((r) => r['Breed Name'] === 'New Zealand' && r['Popularity Rank'] === 0n)).toBe(true);
    expect(s3.requests.length).toBeGreaterThan(5);
    expect(s3.requests.every((r) => r.accessKeyId === 'S3RVER' && r.signatureValid)).toBe(true);
  });

  it('reads Parquet files with explicit byte ranges instead of whole objects', async () => {
    s3.requests.length = 0;
    const table = await openTable({
      location: 's3://warehouse/tpch/lineitem/',
      s3: { endpoint: s3.endpoint, pathStyle: true },
    });
    let rows = 0;
    for await (const batch of table.batches({ columns: ['l_orderkey', 'l_comment'] })) rows += batch.numRows;
    expect(rows).toBe(51_793);
    const parquet = s3.requests.filter((r) => r.method === 'GET' && r.url.endsWith('.parquet'));
    expect(parquet.length).toBeGreaterThan(1);
    expect(parquet.every((r) => /^bytes=\d+-\d+$/.test(r.range ?? '') && r.status === 206)).toBe(true);
  });

  it('lists the metadata folder when the table has no version-hint', async () => {
    const table = await openTable({ location: 's3://warehouse/athena/example', s3: { endpoint: s3.endpoint } });
    expect(table.metadataLocation).toMatch(/00001-aaf0d033-d06b-43c7-be60-67f83abd4aca\.metadata\.json$/);
    expect(await table.count()).toBe(2);
  });

  it('uses credentials vended by the REST catalog when loadTable returns them', async () => {
    const metadataText = await readFile(fixture('icebird/java/bunnies/metadata/v5.metadata.json'), 'utf8');
    const catalog = await startRestCatalog({
      clientId: 'floe',
      clientSecret: 'pw',
      warehouse: 'gold',
      tables: {
        'gold.bunnies': {
          metadataLocation: 's3://warehouse/java/bunnies/metadata/v5.metadata.json',
          metadataText,
          config: {
            's3.access-key-id': 'VENDEDKEY',
            's3.secret-access-key': 'vended-secret',
            's3.endpoint': s3.endpoint,
            's3.path-style-access': 'true',
            'client.region': 'us-east-1',
          },
        },
      },
    });
    try {
      s3.requests.length = 0;
      const source = getSourceConfig({
        type: 'polaris',
        config: { uri: catalog.url, warehouse: 'gold', client_id: 'floe', client_secret_ref: 'ref' },
      });
      const table = await openTable({
        catalog: source as RestCatalogSourceConfig,
        identifier: 'gold.bunnies',
        resolveSecret: () => 'pw',
      });
      expect(await table.count()).toBe(15);
      expect(s3.requests.length).toBeGreaterThan(0);
      expect(s3.requests.every((r) => r.accessKeyId === 'VENDEDKEY' && r.signatureValid)).toBe(true);
    } finally {
      await catalog.close();
    }
  });

  it('reports a missing object as not found and a rejected key as a configuration problem', async () => {
    const missing = await openTable({
      metadataUri: 's3://warehouse/nope/metadata/v1.metadata.json',
      s3: { endpoint: s3.endpoint },
    }).catch((e: unknown) => e);
    expect(isIcebergNotFoundError(missing)).toBe(true);
    process.env.AWS_ACCESS_KEY_ID = 'UNKNOWNKEY';
    try {
      const denied = await openTable({ location: 's3://warehouse/java/bunnies', s3: { endpoint: s3.endpoint } }).catch(
        (e: unknown) => e,
      );
      expect(isStorageError(denied)).toBe(true);
      expect((denied as StorageError).status).toBe(403);
      expect((denied as StorageError).category).toBe('CONFIGURATION');
    } finally {
      process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    }
  });
});
