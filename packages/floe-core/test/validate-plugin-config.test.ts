import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { PluginConfigurationError, validatePluginConfig } from '../src/index.js';

const polaris = {
  name: 'polaris',
  configSchema: z.strictObject({
    uri: z.url(),
    warehouse: z.string().min(1),
    scope: z.string().default('PRINCIPAL_ROLE:ALL'),
  }),
};

describe('validatePluginConfig', () => {
  it('returns the parsed config with defaults', () => {
    expect(validatePluginConfig(polaris, { uri: 'http://polaris:8181/api/catalog', warehouse: 'demo' })).toEqual({
      uri: 'http://polaris:8181/api/catalog',
      warehouse: 'demo',
      scope: 'PRINCIPAL_ROLE:ALL',
    });
  });

  it('returns the config unchanged when the plugin has no schema', () => {
    const config = { anything: 1 };
    expect(validatePluginConfig({ name: 'x', configSchema: undefined }, config)).toBe(config);
  });

  it('throws a PluginConfigurationError naming each field in its file', () => {
    let error: PluginConfigurationError | undefined;
    try {
      validatePluginConfig(
        polaris,
        { uri: 'nope', extra: 1 },
        { file: 'manifest.yaml', path: ['plugins', 'catalog', 'config'] },
      );
    } catch (e) {
      error = e as PluginConfigurationError;
    }
    expect(error).toBeInstanceOf(PluginConfigurationError);
    expect(error?.plugin).toBe('polaris');
    expect(error?.lines()).toEqual([
      'manifest.yaml: plugins.catalog.config.uri: must be a valid URL (got "nope")',
      'manifest.yaml: plugins.catalog.config.warehouse: is required',
      'manifest.yaml: plugins.catalog.config.extra: unknown key "extra"',
    ]);
    expect(error?.message).toMatch(
      /^plugin "polaris" is misconfigured\n {2}manifest\.yaml: plugins\.catalog\.config\.uri/,
    );
  });

  it('reports paths without a file or prefix', () => {
    expect(() => validatePluginConfig(polaris, {})).toThrow('\n  uri: is required');
  });
});
