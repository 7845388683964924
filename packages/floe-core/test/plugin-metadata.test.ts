import { describe, expect, it } from '@jest/globals';
import { PluginMetadata } from '../src/index.js';

class Minimal extends PluginMetadata {
  readonly name = 'minimal';
  readonly version = '1.0.0';
  readonly floeApiVersion = '1.0';
  readonly description = 'does nothing';
}

describe('PluginMetadata', () => {
  it('has no dependencies, no config schema and a healthy default health check', async () => {
    const plugin = new Minimal();
    expect(plugin.dependencies).toEqual([]);
    expect(plugin.configSchema).toBeUndefined();
    await expect(plugin.startup()).resolves.toBeUndefined();
    await expect(plugin.shutdown()).resolves.toBeUndefined();
    await expect(plugin.healthCheck()).resolves.toEqual({
      state: 'healthy',
      message: 'minimal is loaded',
      details: {},
    });
  });
});
