import { describe, expect, it } from '@jest/globals';
import { FORBIDDEN_CREDENTIAL_KEYS, findForbiddenCredentialKeys } from '../src/index.js';

describe('findForbiddenCredentialKeys', () => {
  it('lists the thirteen keys of the original design', () => {
    expect([...FORBIDDEN_CREDENTIAL_KEYS].sort()).toEqual([
      'access_key',
      'api_key',
      'connection_string',
      'credentials',
      'database',
      'endpoint',
      'host',
      'password',
      'port',
      'schema',
      'secret_key',
      'token',
      'username',
    ]);
  });

  it.each([...FORBIDDEN_CREDENTIAL_KEYS])('finds %s in any case', (key) => {
    const issues = findForbiddenCredentialKeys(
      { destinations: [{ config: { [key.toUpperCase()]: 'x' } }] },
      { file: 'floe.yaml' },
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'floe.yaml', path: `destinations[0].config.${key.toUpperCase()}` });
    expect(issues[0]!.message).toContain('connection_secret_ref');
  });

  it('walks lists and nested mappings and reports every path', () => {
    const doc = { a: [{ b: { username: 'u', port: 5432 } }], schema: 'public' };
    expect(findForbiddenCredentialKeys(doc).map((i) => i.path)).toEqual(['a[0].b.username', 'a[0].b.port', 'schema']);
  });

  it('exempts only the column list of an output port', () => {
    const doc = { outputPorts: [{ schema: [{ name: 'id' }] }], destinations: [{ schema: 'x' }] };
    expect(findForbiddenCredentialKeys(doc).map((i) => i.path)).toEqual(['destinations[0].schema']);
  });

  it('finds nothing in a clean document or a scalar', () => {
    expect(
      findForbiddenCredentialKeys({ destinations: [{ config: { url: 'https://x', hostname_label: 'a' } }] }),
    ).toEqual([]);
    expect(findForbiddenCredentialKeys('text')).toEqual([]);
  });
});
