import { describe, expect, it } from '@jest/globals';
import { registerSecret, sanitizeErrorMessage } from '../../src/errors/index.js';

describe('sanitizeErrorMessage', () => {
  it.each([
    ['connect to postgres://app:s3cr3t@db:5432/x failed', 'connect to postgres://[redacted]@db:5432/x failed'],
    ['GET https://token@api.x.io/v1', 'GET https://[redacted]@api.x.io/v1'],
    ['dsn host=db password=hunter22 user=app', 'dsn host=db password=[redacted] user=app'],
    ['?api_key=abcdef&x=1', '?api_key=[redacted]&x=1'],
    ['{"token":"abc.def","ok":1}', '{"token":"[redacted]","ok":1}'],
    ["client_secret: 'shh-123'", "client_secret: '[redacted]'"],
    ['Basic authentication failed', 'Basic authentication failed'],
    ['Authorization: Bearer eyJhbGciOi.x.y\nnext line', 'Authorization: [redacted]\nnext line'],
    ['sent Bearer eyJhbGciOiJIUzI1NiJ9 to api', 'sent Bearer [redacted] to api'],
    ['basic header Basic dXNlcjpwYXNz', 'basic header Basic [redacted]'],
    ['x-api-key: k-123456', 'x-api-key: [redacted]'],
    ['nothing secret here', 'nothing secret here'],
    [
      "Access denied for user 'root'@'10.0.0.1' (using password: YES)",
      "Access denied for user 'root'@'10.0.0.1' (using password: YES)",
    ],
    ['password: YESSIR', 'password: [redacted]'],
  ])('redacts %s', (input, expected) => {
    expect(sanitizeErrorMessage(input)).toBe(expected);
  });

  it('redacts registered secret values (also URL-encoded) until forgotten, and explicit ones', () => {
    const forget = registerSecret('p@ss w0rd!');
    const again = registerSecret('p@ss w0rd!');
    expect(sanitizeErrorMessage('login p@ss w0rd! / p%40ss%20w0rd!')).toBe('login [redacted] / [redacted]');
    forget();
    forget();
    expect(sanitizeErrorMessage('still p@ss w0rd!')).toBe('still [redacted]');
    again();
    expect(sanitizeErrorMessage('now p@ss w0rd!')).toBe('now p@ss w0rd!');
    expect(sanitizeErrorMessage('value abcd-1234 here', ['abcd-1234', 'ab', 42])).toBe('value [redacted] here');
    expect(registerSecret('ab')).toBeInstanceOf(Function);
    // shorter than 8 characters: a common word as a secret must not rewrite ordinary text
    const short = registerSecret('rows');
    expect(sanitizeErrorMessage('3 rows rejected', ['status'])).toBe('3 rows rejected');
    short();
    expect(registerSecret(undefined)).toBeInstanceOf(Function);
    expect(sanitizeErrorMessage(new Error('boom'))).toBe('Error: boom');
  });
});
