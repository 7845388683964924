import { describe, expect, it } from '@jest/globals';
import { formatPath } from '../../src/internal/format-path.js';

describe('formatPath', () => {
  it('formats keys and indexes as a.b[1].c', () => {
    expect(formatPath(['destinations', 1, 'config', 'url'])).toBe('destinations[1].config.url');
    expect(formatPath([])).toBe('');
    expect(formatPath([0, 'a'])).toBe('[0].a');
  });

  it('quotes keys that are not plain identifiers', () => {
    expect(formatPath(['labels', 'team name', 'x-y'])).toBe('labels["team name"].x-y');
    expect(formatPath(['$schema'])).toBe('["$schema"]');
    expect(formatPath([Symbol('s')])).toBe('[Symbol(s)]');
  });
});
