import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { BATCH_SIZE_LIMITS, ConfigValidationError, DEFAULT_RETRY_CONFIG, SinkConfig } from '../src/index.js';

function issuesOf(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as ConfigValidationError).lines();
  }
  throw new Error('expected a ConfigValidationError');
}

describe('SinkConfig', () => {
  it('takes defaults: no mapping, no retry override, all rows at once, name = sink type', () => {
    const config = new SinkConfig({ sinkType: 'rest_api' });
    expect(config).toMatchObject({ sinkType: 'rest_api', name: 'rest_api', connectionConfig: {} });
    expect(config.fieldMapping).toBeUndefined();
    expect(config.retryConfig).toBeUndefined();
    expect(config.batchSize).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('fills a partial retry config from DEFAULT_RETRY_CONFIG', () => {
    expect(new SinkConfig({ sinkType: 'x', retryConfig: { maxAttempts: 2 } }).retryConfig).toEqual({
      ...DEFAULT_RETRY_CONFIG,
      maxAttempts: 2,
    });
    expect(DEFAULT_RETRY_CONFIG).toEqual({ maxAttempts: 5, initialDelayMs: 500, maxDelayMs: 30_000 });
  });

  it('copies its inputs, so nothing is shared with the caller or another instance', () => {
    const mapping: Record<string, string> = { a: 'b' };
    const connection: Record<string, unknown> = { url: 'x' };
    const one = new SinkConfig({ sinkType: 'x', fieldMapping: mapping, connectionConfig: connection });
    const two = new SinkConfig({ sinkType: 'x', fieldMapping: mapping, connectionConfig: connection });
    mapping.c = 'd';
    connection.token = 't';
    expect(one.fieldMapping).toEqual({ a: 'b' });
    expect(one.connectionConfig).toEqual({ url: 'x' });
    expect(one.fieldMapping).not.toBe(two.fieldMapping);
  });

  it('redacts connection values in toJSON and inspect', () => {
    const config = new SinkConfig({ sinkType: 'rest_api', connectionConfig: { url: 'https://x', token: 's3cret' } });
    expect(JSON.stringify(config)).not.toContain('s3cret');
    expect(config.toJSON().connectionConfig).toEqual({ url: '[redacted]', token: '[redacted]' });
    expect(inspect(config)).not.toContain('s3cret');
  });

  it('returns a validated copy from with()', () => {
    const config = new SinkConfig({
      sinkType: 'x',
      batchSize: 10,
      fieldMapping: { a: 'b' },
      retryConfig: { maxAttempts: 1 },
    });
    const changed = config.with({ batchSize: 20 });
    expect(changed).toMatchObject({ batchSize: 20, fieldMapping: { a: 'b' }, retryConfig: { maxAttempts: 1 } });
    expect(config.batchSize).toBe(10);
    expect(() => config.with({ batchSize: 0 })).toThrow(ConfigValidationError);
  });

  it.each([
    [{ sinkType: '' }, 'sinkType: must be a non-empty string, e.g. "rest_api"'],
    [{ sinkType: 'x', name: ' ' }, 'name: must be a non-empty string when given'],
    [
      { sinkType: 'x', batchSize: 0 },
      'batchSize: must be an integer from 1 to 100000 (got 0); omit it to send all rows at once',
    ],
    [
      { sinkType: 'x', batchSize: BATCH_SIZE_LIMITS.max + 1 },
      'batchSize: must be an integer from 1 to 100000 (got 100001); omit it to send all rows at once',
    ],
    [
      { sinkType: 'x', fieldMapping: { a: '1x' } },
      'fieldMapping.a: target "1x" must match ^[A-Za-z_][A-Za-z0-9_]*$ (letters, digits, underscore; not starting with a digit)',
    ],
    [{ sinkType: 'x', fieldMapping: { a: 'x', b: 'x' } }, 'fieldMapping: two columns map to the same field "x"'],
    [{ sinkType: 'x', retryConfig: { maxAttempts: 0 } }, 'retryConfig.maxAttempts: must be an integer from 1 to 100'],
    [{ sinkType: 'x', retryConfig: { initialDelayMs: -1 } }, 'retryConfig.initialDelayMs: must be a number ≥ 0'],
    [
      { sinkType: 'x', retryConfig: { initialDelayMs: 10, maxDelayMs: 5 } },
      'retryConfig: initialDelayMs must not exceed maxDelayMs',
    ],
  ])('rejects %j', (init, line) => {
    expect(issuesOf(() => new SinkConfig(init))).toEqual([line]);
  });
});
