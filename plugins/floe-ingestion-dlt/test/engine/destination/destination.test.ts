import { describe, expect, it } from '@jest/globals';
import { DEFAULT_DESTINATION_BATCH_SIZE, destination, normalizeName, toSnakeCase } from '../../../src/index.js';

describe('destination', () => {
  it('fills dlt defaults and freezes the result', () => {
    const fn = (): void => undefined;
    const dest = destination(fn);
    expect(dest).toMatchObject({
      name: 'destination',
      sinkType: 'destination',
      identity: 'destination:destination',
      tableName: 'destination',
      batchSize: DEFAULT_DESTINATION_BATCH_SIZE,
      namingConvention: 'direct',
      maxParallelLoadJobs: 1,
      loaderFileFormat: 'arrow',
      primaryKey: [],
    });
    expect(Object.isFrozen(dest)).toBe(true);
  });

  it('rejects invalid options with clear messages', () => {
    expect(() => destination(42 as never)).toThrow(TypeError);
    expect(() => destination(() => undefined, { batchSize: -1 })).toThrow(/batchSize/);
    expect(() => destination(() => undefined, { maxParallelLoadJobs: 0 })).toThrow(/maxParallelLoadJobs/);
    expect(() => destination(() => undefined, { namingConvention: 'kebab' as never })).toThrow(/namingConvention/);
    expect(() => destination(() => undefined, { loaderFileFormat: 'parquet' as never })).toThrow(/loaderFileFormat/);
  });
});

describe('toSnakeCase', () => {
  it.each([
    ['customerID', 'customer_id'],
    ['Email Address', 'email_address'],
    ['HTTPServer', 'http_server'],
    ['already_snake', 'already_snake'],
    ['2fa-enabled', '_2fa_enabled'],
    ['__private', '_private'],
    ['***', '_'],
  ])('turns %s into %s', (input, expected) => {
    expect(toSnakeCase(input)).toBe(expected);
  });

  it('leaves names alone under the direct convention', () => {
    expect(normalizeName('Email Address', 'direct')).toBe('Email Address');
  });
});
