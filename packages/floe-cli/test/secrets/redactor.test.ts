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

  it('redacts strings deep inside objects and arrays, never their keys', () => {
    const redactor = new Redactor();
    redactor.add('hunter22');
    expect(redactor.redactValue({ a: ['x hunter22'], hunter22: { b: 'hunter22' }, n: 1 })).toEqual({
      a: [`x ${REDACTED}`],
      hunter22: { b: REDACTED },
      n: 1,
    });
  });

  it('redacts JSON text in its values, never in its keys', () => {
    const redactor = new Redactor();
    redactor.add('rowsDelivered');
    expect(redactor.redactJson('{"rowsDelivered":"rowsDelivered","x" : ["a rowsDelivered"],"n":1}')).toBe(
      `{"rowsDelivered":"${REDACTED}","x" : ["a ${REDACTED}"],"n":1}`,
    );
  });

  it('ignores values shorter than 8 characters (a secret "rows" leaves rowsDelivered alone)', () => {
    const redactor = new Redactor();
    redactor.add('rows');
    redactor.add('status1');
    expect(redactor.size).toBe(0);
    expect(redactor.redact('{"rowsDelivered":3,"status1":"rows"}')).toBe('{"rowsDelivered":3,"status1":"rows"}');
  });

  it('warns once per secret key about a value too short to search for, naming the key, never the value', () => {
    const warnings: string[] = [];
    const redactor = new Redactor({ warn: (message) => warnings.push(message) });
    redactor.addAll({ token: 'rows', url: 'https://long-enough.example' }, 'crm-api');
    redactor.addAll({ token: 'rows' }, 'crm-api');
    expect(warnings).toEqual([
      'connection secret "crm-api" key "token" is shorter than 8 characters: it is not searched for in output ' +
        '(only as a URL password or Basic credential); use a longer secret',
    ]);
  });

  it('masks the password of any user:password@ URL, even a short one', () => {
    const redactor = new Redactor();
    redactor.add('postgres://app:pw@db:5432/crm');
    expect(redactor.redact('connect mysql://root:pw@db/x failed')).toBe(`connect mysql://root:${REDACTED}@db/x failed`);
    expect(redactor.redact('postgres://app@db/x')).toBe('postgres://app@db/x');
  });

  it('removes the longest value first when one contains another', () => {
    const redactor = new Redactor();
    redactor.add('abcdefgh');
    redactor.add('abcdefgh-ijkl');
    expect(redactor.redact('abcdefgh-ijkl')).toBe(REDACTED);
  });
});
