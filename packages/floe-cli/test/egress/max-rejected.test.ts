import { describe, expect, it } from '@jest/globals';
import { allowedRejects, parseMaxRejected } from '../../src/egress/max-rejected.js';

describe('parseMaxRejected', () => {
  it('reads a number of rows or a percentage', () => {
    expect(parseMaxRejected('0')).toEqual({ kind: 'rows', rows: 0, text: '0' });
    expect(parseMaxRejected(' 25 ')).toEqual({ kind: 'rows', rows: 25, text: '25' });
    expect(parseMaxRejected('0.5%')).toEqual({ kind: 'percent', percent: 0.5, text: '0.5%' });
    expect(parseMaxRejected('100%')).toEqual({ kind: 'percent', percent: 100, text: '100%' });
  });

  it.each(['', '-1', '1.5', '101%', 'ten', '5 %', '1e3'])('refuses "%s" with the accepted forms', (value) => {
    expect(() => parseMaxRejected(value)).toThrow(/expected a number of rows \(e\.g\. 100\) or a percentage/);
  });
});

describe('allowedRejects', () => {
  it('is the number given, or the percentage of the source rows rounded down', () => {
    expect(allowedRejects(parseMaxRejected('3'), 1000)).toBe(3);
    expect(allowedRejects(parseMaxRejected('1%'), 1000)).toBe(10);
    expect(allowedRejects(parseMaxRejected('1%'), 99)).toBe(0);
    expect(allowedRejects(parseMaxRejected('12.5%'), 8)).toBe(1);
  });
});
