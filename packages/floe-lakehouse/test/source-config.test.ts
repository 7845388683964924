import { describe, expect, it } from '@jest/globals';
import { getSourceConfig, isLakehouseConfigError, type LakehouseConfigError } from '../src/index.js';

function configError(input: Record<string, unknown>): LakehouseConfigError {
  try {
    getSourceConfig(input);
  } catch (e) {
    if (isLakehouseConfigError(e)) return e;
    throw e;
  }
  throw new Error('expected a LakehouseConfigError');
}

describe('getSourceConfig', () => {
  it('normalises a Polaris manifest wrapper when the secret comes from connection_secret_ref', () => {
    expect(
      getSourceConfig({
        type: 'polaris',
        config: {
          uri: 'http://polaris:8181/api/catalog/',
          warehouse: 'gold',
          client_id: 'floe',
          s3_endpoint: 'http://minio:9000',
          s3_region: 'eu-west-1',
          s3_path_style: 'true',
        },
        connection_secret_ref: 'polaris-credentials',
      }),
    ).toEqual({
      kind: 'rest',
      type: 'polaris',
      uri: 'http://polaris:8181/api/catalog',
      warehouse: 'gold',
      oauth2: {
        client_id: 'floe',
        client_secret_ref: 'polaris-credentials',
        token_url: 'http://polaris:8181/api/catalog/v1/oauth/tokens',
        scope: 'PRINCIPAL_ROLE:ALL',
      },
      s3: { endpoint: 'http://minio:9000', region: 'eu-west-1', path_style: true },
    });
  });

  it('accepts a bare REST config with explicit token_url, scope and nested s3 settings', () => {
    const source = getSourceConfig({
      uri: 'https://catalog.example.com',
      client_id: 'id',
      client_secret_ref: 'vault:catalog',
      token_url: 'https://auth.example.com/token',
      scope: 'catalog',
      s3: { region: 'us-east-2', path_style: false },
    });
    expect(source).toEqual({
      kind: 'rest',
      type: 'rest',
      uri: 'https://catalog.example.com',
      oauth2: {
        client_id: 'id',
        client_secret_ref: 'vault:catalog',
        token_url: 'https://auth.example.com/token',
        scope: 'catalog',
      },
      s3: { region: 'us-east-2', path_style: false },
    });
    expect(getSourceConfig(source as unknown as Record<string, unknown>)).toEqual(source);
  });

  it('returns a REST config without oauth2 when the catalog needs no authentication', () => {
    expect(getSourceConfig({ type: 'rest', config: { uri: 'http://127.0.0.1:8181' } })).toEqual({
      kind: 'rest',
      type: 'rest',
      uri: 'http://127.0.0.1:8181',
      s3: { path_style: false },
    });
  });

  it('returns a local warehouse config when the type is local or only a warehouse is given', () => {
    expect(getSourceConfig({ type: 'local', config: { warehouse: '/data/warehouse' } })).toEqual({
      kind: 'local',
      warehouse: '/data/warehouse',
    });
    expect(getSourceConfig({ warehouse: 'file:///data/wh' })).toEqual({ kind: 'local', warehouse: '/data/wh' });
  });

  it('refuses inline credentials naming the key path', () => {
    expect(
      configError({ type: 'polaris', config: { uri: 'http://p', client_id: 'a', client_secret: 's3cr3t' } }).keyPath,
    ).toBe('config.client_secret');
    expect(configError({ uri: 'http://p', s3: { 'secret-access-key': 'x' } }).keyPath).toBe('s3.secret-access-key');
    expect(configError({ uri: 'http://p', 's3.access-key-id': 'AKIA' }).keyPath).toBe('s3.access-key-id');
    expect(configError({ uri: 'http://p', credential: 'id:secret' }).keyPath).toBe('credential');
    expect(configError({ uri: 'http://p', token: 'abc' }).keyPath).toBe('token');
    expect(configError({ type: 'local', config: { warehouse: '/w', extra: [{ password: 'p' }] } }).keyPath).toBe(
      'config.extra[0].password',
    );
    expect(configError({ uri: 'http://p', sessionToken: 'x' }).message).toMatch(/Inline credential "sessionToken"/);
    expect(getSourceConfig({ uri: 'http://p', client_secret: '' }).kind).toBe('rest');
  });

  it('refuses incomplete or unknown configurations with the offending key', () => {
    expect(configError({ type: 'rest', config: { warehouse: 'w' } }).keyPath).toBe('config.uri');
    expect(configError({ type: 'rest', config: { uri: 'ftp://x' } }).keyPath).toBe('config.uri');
    expect(configError({ type: 'polaris', config: { uri: 'http://p', client_id: 'a' } }).keyPath).toBe(
      'config.client_secret_ref',
    );
    expect(configError({ uri: 'http://p', client_secret_ref: 'ref' }).keyPath).toBe('client_id');
    expect(configError({ type: 'glue', config: { uri: 'http://p' } }).keyPath).toBe('type');
    expect(configError({ type: 'local', config: {} }).keyPath).toBe('config.warehouse');
    expect(configError({}).keyPath).toBe('type');
    expect(configError({ uri: 42 }).keyPath).toBe('uri');
    expect(configError({ uri: 'http://p', s3_path_style: 'maybe' }).keyPath).toBe('s3_path_style');
  });
});
