import { describe, expect, it } from '@jest/globals';
import { SinkConfig, WRITE_DISPOSITIONS, toSinkConfig } from '../src/index.js';
import type { PlannedDestination } from '../src/index.js';

const planned: PlannedDestination = {
  index: 0,
  name: 'crm',
  sinkType: 'rest_api',
  connectionSecretRef: 'crm-credentials',
  sourceTable: 'gold.customers',
  fieldMapping: { email_address: 'email' },
  batchSize: 100,
  disposition: 'append',
  sync: {
    mode: 'append',
    changesOnly: true,
    onDelete: 'delete',
    maxDeleteFraction: 0.2,
    primaryKey: [],
    from: 'default',
  },
  config: { url: 'https://crm.example.com' },
};

describe('toSinkConfig', () => {
  it('builds a SinkConfig with the secrets merged over the config', () => {
    const config = toSinkConfig(planned, { connection: { token: 's3cret' }, retryConfig: { maxAttempts: 2 } });
    expect(config).toBeInstanceOf(SinkConfig);
    expect(config).toMatchObject({
      sinkType: 'rest_api',
      name: 'crm',
      batchSize: 100,
      fieldMapping: { email_address: 'email' },
    });
    expect(config.connectionConfig).toEqual({ url: 'https://crm.example.com', token: 's3cret' });
    expect(config.retryConfig?.maxAttempts).toBe(2);
    expect(JSON.stringify(config)).not.toContain('s3cret');
  });

  it('leaves batch size and mapping absent when the destination has none', () => {
    const config = toSinkConfig({ ...planned, fieldMapping: undefined, batchSize: undefined });
    expect(config.batchSize).toBeUndefined();
    expect(config.fieldMapping).toBeUndefined();
    expect(config.retryConfig).toBeUndefined();
  });

  it('knows the three dispositions', () => {
    expect(WRITE_DISPOSITIONS).toEqual(['append', 'replace', 'merge']);
  });
});
