import { describe, expect, it } from '@jest/globals';
import { redactNeedles, secretForms } from '../src/index.js';

describe('secretForms', () => {
  it('gives the value, URL-encoded and JSON-escaped, and a URL password on its own (raw and decoded)', () => {
    expect(secretForms('a"b c')).toEqual(['a"b c', 'a%22b%20c', 'a\\"b c']);
    expect(secretForms('postgres://app:p%40ss@db/x')).toEqual(
      expect.arrayContaining(['postgres://app:p%40ss@db/x', 'p%40ss', 'p@ss']),
    );
  });

  it('leaves out forms shorter than the minimum', () => {
    expect(secretForms('ab', 3)).toEqual([]);
  });
});

describe('redactNeedles', () => {
  it('replaces every occurrence, longest needle first so a secret containing another goes whole', () => {
    expect(redactNeedles('tok tok-long tok', ['tok', 'tok-long'], '***')).toBe('*** *** ***');
    expect(redactNeedles('tok-long', ['tok', 'tok-long'], '[x]')).toBe('[x]');
    expect(redactNeedles('nothing here', ['secret'], '***')).toBe('nothing here');
  });
});
