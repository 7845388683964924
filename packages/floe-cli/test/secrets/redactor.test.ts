import { describe, expect, it } from '@jest/globals';
import { Redactor, REDACTED } from '../../src/secrets/redactor.js';

describe('Redactor', () => {
  it('replaces a registered value wherever it appears', () => {
    const redactor = new Redactor();
    redactor.add('tok-SECRET-1');
    expect(redactor.redact('Authorization: Bearer tok-SECRET-1 (tok-SECRET-1)')).toBe(
      `Authorization: Bearer ${REDACTED} (${REDACTED})`,
    );
  });

  it('also removes the password inside a URL and its URL-encoded form', () => {
    const redactor = new Redactor();
    redactor.add('postgres://app:p%40ss-w0rd@db:5432/crm');
    expect(redactor.redact('password p@ss-w0rd rejected')).toBe(`password ${REDACTED} rejected`);
    expect(redactor.redact('url postgres://app:p%40ss-w0rd@db:5432/crm')).toBe(`url ${REDACTED}`);
  });

  it('redacts strings deep inside objects and arrays, keys included', () => {
    const redactor = new Redactor();
    redactor.add('hunter22');
    expect(redactor.redactValue({ a: ['x hunter22'], hunter22: { b: 'hunter22' }, n: 1 })).toEqual({
      a: [`x ${REDACTED}`],
      [REDACTED]: { b: REDACTED },
      n: 1,
    });
  });

  it('ignores values too short to redact safely', () => {
    const redactor = new Redactor();
    redactor.add('ab');
    expect(redactor.size).toBe(0);
    expect(redactor.redact('abc')).toBe('abc');
  });

  it('removes the longest value first when one contains another', () => {
    const redactor = new Redactor();
    redactor.add('abcd');
    redactor.add('abcdefgh');
    expect(redactor.redact('abcdefgh')).toBe(REDACTED);
  });
});
