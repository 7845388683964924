import { describe, expect, it } from '@jest/globals';
import { parseDuration } from '../../src/commands/parse-duration.js';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and milliseconds (a bare number is seconds)', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('45')).toBe(45_000);
  });

  it('refuses anything else with the expected form', () => {
    for (const bad of ['', '-1s', '1.5m', '2 days', 's']) {
      expect(() => parseDuration(bad)).toThrow(/expected a duration such as 30s, 2m or 500ms/);
    }
  });
});
