import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import {
  getSourceConfig,
  isIcebergCatalogError,
  isIcebergNotFoundError,
  isLakehouseConfigError,
  openTable,
  readTable,
  type IcebergCatalogError,
  type RestCatalogSourceConfig,
} from '../src/index.js';
import { fixture } from './support/fixtures.js';
import { startRestCatalog } from './support/rest-catalog-server.js';
import { collect, rowsOf } from './support/rows.js';

let catalog: Awaited<ReturnType<typeof startRestCatalog>>;
let source: RestCatalogSourceConfig;
const secrets: [string, string][] = [];
const resolveSecret = (ref: string, key: string): string => {
  secrets.push([ref, key]);
  return ref === 'polaris-creds' && key === 'client_secret' ? 's3cret' : 'wrong';
};

beforeAll(async () => {
  const bunnies = fixture('icebird/java/bunnies/metadata/v5.metadata.json');
  const lineitem = fixture('duckdb-iceberg/iceberg/lineitem_iceberg/metadata/v2.metadata.json');
  catalog = await startRestCatalog({
    clientId: 'floe',
    clientSecret: 's3cret',
    warehouse: 'gold',
    tables: {
      'gold.bunnies': { metadataLocation: bunnies, metadataText: await readFile(bunnies, 'utf8') },
      'sales.eu.lineitem': { metadataLocation: lineitem, metadataText: await readFile(lineitem, 'utf8') },
    },
  });
  source = getSourceConfig({
    type: 'polaris',
    config: { uri: catalog.url, warehouse: 'gold', client_id: 'floe' },
    connection_secret_ref: 'polaris-creds',
  }) as RestCatalogSourceConfig;
});
afterAll(async () => catalog.close());

describe('REST catalog', () => {
  it('loads a table through config, OAuth2 client credentials and loadTable with a bearer token', async () => {
    const table = await openTable({ catalog: source, identifier: 'gold.bunnies', resolveSecret });
    expect(table.identifier).toBe('gold.bunnies');
    expect(table.snapshot?.snapshotId).toBe(9158179788527662767n);
    expect(rowsOf(await collect(table.batches({ columns: ['Breed Name'] })))).toHaveLength(15);
    expect(secrets).toContainEqual(['polaris-creds', 'client_secret']);
    const [tokenCall, configCall, loadCall] = catalog.requests;
    expect(tokenCall?.method).toBe('POST');
    expect(tokenCall?.path).toBe('/v1/oauth/tokens');
    expect(new URLSearchParams(tokenCall?.body).get('scope')).toBe('PRINCIPAL_ROLE:ALL');
    expect(configCall?.path).toBe('/v1/config?warehouse=gold');
    expect(configCall?.headers.authorization).toBe('Bearer tok-abc');
    expect(loadCall?.path).toBe('/v1/gold/namespaces/gold/tables/bunnies');
    expect(loadCall?.headers.authorization).toBe('Bearer tok-abc');
    expect(loadCall?.headers['x-iceberg-access-delegation']).toBe('vended-credentials');
  });

  it('encodes multi-level namespaces with the unit separator when the identifier has three parts', async () => {
    let rows = 0;
    for await (const batch of readTable({
      catalog: source,
      identifier: ['sales', 'eu', 'lineitem'],
      resolveSecret,
      columns: ['l_orderkey'],
    }))
      rows += batch.numRows;
    expect(rows).toBe(51_793);
    expect(catalog.requests.some((r) => r.path === '/v1/gold/namespaces/sales%1Feu/tables/lineitem')).toBe(true);
  });

  it('throws a not-found error naming the table when loadTable answers 404', async () => {
    const error = await openTable({ catalog: source, identifier: 'gold.missing', resolveSecret }).catch(
      (e: unknown) => e,
    );
    expect(isIcebergNotFoundError(error)).toBe(true);
    expect((error as Error).message).toMatch(/gold\.missing.*Table does not exist/);
  });

  it('rejects bad client credentials as a configuration error', async () => {
    const error = await openTable({ catalog: source, identifier: 'gold.bunnies', resolveSecret: () => 'nope' }).catch(
      (e: unknown) => e,
    );
    expect(isIcebergCatalogError(error)).toBe(true);
    expect((error as IcebergCatalogError).status).toBe(401);
    expect((error as IcebergCatalogError).category).toBe('CONFIGURATION');
    expect((error as Error).message).toMatch(/NotAuthorizedException bad client credentials/);
  });

  it('requires resolveSecret when the catalog uses OAuth2', async () => {
    const error = await openTable({ catalog: source, identifier: 'gold.bunnies' }).catch((e: unknown) => e);
    expect(isLakehouseConfigError(error)).toBe(true);
    await expect(openTable({ catalog: source, identifier: 'bunnies', resolveSecret })).rejects.toThrow(
      /namespace\.table/,
    );
  });

  it('reports an unavailable catalog as transient', async () => {
    const down = await startRestCatalog({
      clientId: 'a',
      clientSecret: 'b',
      warehouse: 'w',
      tables: {},
      failWith: 503,
    });
    try {
      const noAuth = getSourceConfig({
        type: 'rest',
        config: { uri: down.url, warehouse: 'w' },
      }) as RestCatalogSourceConfig;
      const error = await openTable({ catalog: noAuth, identifier: 'a.b' }).catch((e: unknown) => e);
      expect(isIcebergCatalogError(error)).toBe(true);
      expect((error as IcebergCatalogError).category).toBe('TRANSIENT');
    } finally {
      await down.close();
    }
    const unreachable = getSourceConfig({ uri: down.url }) as RestCatalogSourceConfig;
    const error = await openTable({ catalog: unreachable, identifier: 'a.b' }).catch((e: unknown) => e);
    expect((error as IcebergCatalogError).status).toBe(0);
  });

  it('opens a table from a local warehouse catalog when the namespace folder is a .db folder', async () => {
    const local = getSourceConfig({
      type: 'local',
      config: { warehouse: fixture('duckdb-iceberg/add_columns_with_defaults') },
    });
    const table = await openTable({ catalog: local, identifier: 'default.add_columns_with_defaults' });
    expect(await table.count()).toBe(3);
    const error = await openTable({ catalog: local, identifier: 'default.nope' }).catch((e: unknown) => e);
    expect(isIcebergNotFoundError(error)).toBe(true);
    expect((error as Error).message).toContain('default.nope');
  });
});
