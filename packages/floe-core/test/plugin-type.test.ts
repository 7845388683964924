import { describe, expect, it } from '@jest/globals';
import { PLUGIN_DISCOVERY_GROUPS, PLUGIN_TYPES, PluginType, isPluginType } from '../src/index.js';

describe('PluginType', () => {
  it('has no sink member: egress is a capability, not a plugin type', () => {
    expect(Object.values(PluginType)).not.toContain('sink');
    expect(Object.keys(PluginType)).not.toContain('SINK');
    expect(PLUGIN_TYPES).toContain('ingestion');
  });

  it('names a discovery group per type', () => {
    expect(Object.keys(PLUGIN_DISCOVERY_GROUPS).sort()).toEqual([...PLUGIN_TYPES].sort());
    expect(PLUGIN_DISCOVERY_GROUPS.ingestion).toBe('floe.ingestion');
  });

  it('recognises plugin types', () => {
    expect(isPluginType('catalog')).toBe(true);
    expect(isPluginType('sink')).toBe(false);
    expect(isPluginType(1)).toBe(false);
  });
});
