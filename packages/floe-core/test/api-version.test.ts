import { describe, expect, it } from '@jest/globals';
import { FLOE_PLUGIN_API_VERSION, isCompatible, parseApiVersion } from '../src/index.js';

describe('isCompatible', () => {
  it.each([
    ['1.0', '1.0', true],
    ['1.0', '1.3', true],
    ['1.4', '1.3', false],
    ['2.0', '1.5', false],
    ['0.9', '1.0', false],
  ])('plugin %s on platform %s → %s', (plugin, platform, expected) => {
    expect(isCompatible(plugin, platform)).toBe(expected);
  });

  it('defaults to the platform version', () => {
    expect(FLOE_PLUGIN_API_VERSION).toBe('1.0');
    expect(isCompatible('1.0')).toBe(true);
  });

  it('rejects malformed versions with a TypeError', () => {
    expect(() => parseApiVersion('1')).toThrow('invalid floe API version "1": expected "MAJOR.MINOR", e.g. "1.0"');
    expect(() => isCompatible('1.0.0', '1.0')).toThrow(TypeError);
    expect(parseApiVersion('10.2')).toEqual({ major: 10, minor: 2 });
  });
});
