import { describe, expect, it } from '@jest/globals';
import { PluginWhitelistError, isPluginWhitelistError, validateDomainPluginWhitelist } from '../src/index.js';

describe('validateDomainPluginWhitelist', () => {
  const approved = { compute: ['duckdb', 'snowflake'], orchestrator: [] };

  it('allows an approved plugin', () => {
    expect(() => validateDomainPluginWhitelist('compute', 'duckdb', approved)).not.toThrow();
  });

  it('allows anything in a category without a list, or without any whitelist', () => {
    expect(() => validateDomainPluginWhitelist('catalog', 'glue', approved)).not.toThrow();
    expect(() => validateDomainPluginWhitelist('compute', 'spark', undefined)).not.toThrow();
  });

  it('rejects an unapproved plugin with a PluginWhitelistError', () => {
    let error: unknown;
    try {
      validateDomainPluginWhitelist('compute', 'spark', approved);
    } catch (e) {
      error = e;
    }
    expect(isPluginWhitelistError(error)).toBe(true);
    expect(error).toBeInstanceOf(PluginWhitelistError);
    expect(error).toMatchObject({
      name: 'PluginWhitelistError',
      code: 'PLUGIN_WHITELIST',
      pluginCategory: 'compute',
      pluginType: 'spark',
      category: 'CONFIGURATION',
    });
    expect((error as Error).message).toBe(
      'plugin "spark" is not approved for category "compute" by the enterprise manifest (approved: duckdb, snowflake)',
    );
  });

  it('rejects everything in a category with an empty list', () => {
    expect(() => validateDomainPluginWhitelist('orchestrator', 'dagster', approved)).toThrow('(approved: none)');
  });
});
