import { describe, expect, it } from '@jest/globals';
import {
  ConfigValidationError,
  SECRET_NAME_PATTERN,
  SecretNameSchema,
  isValidSecretName,
  parseSecretReference,
  secretEnvVarName,
} from '../src/index.js';

describe('SECRET_NAME_PATTERN', () => {
  it.each(['a', '1', 'crm-credentials', 'a1-b2'])('accepts %s', (name) => {
    expect(SECRET_NAME_PATTERN.test(name)).toBe(true);
    expect(isValidSecretName(name)).toBe(true);
    expect(SecretNameSchema.safeParse(name).success).toBe(true);
  });

  it.each(['', '-a', 'a-', 'A', 'crm_credentials', 'crm.credentials'])('rejects %j', (name) => {
    expect(isValidSecretName(name)).toBe(false);
    expect(SecretNameSchema.safeParse(name).success).toBe(false);
  });

  it('rejects names longer than 253 characters', () => {
    expect(isValidSecretName('a'.repeat(253))).toBe(true);
    expect(isValidSecretName('a'.repeat(254))).toBe(false);
    expect(isValidSecretName(42)).toBe(false);
  });
});

describe('parseSecretReference', () => {
  it('parses "name" as a Kubernetes secret', () => {
    expect(parseSecretReference('crm-credentials')).toEqual({ source: 'kubernetes', name: 'crm-credentials' });
  });

  it('parses "name/key"', () => {
    expect(parseSecretReference('crm-credentials/api.token')).toEqual({
      source: 'kubernetes',
      name: 'crm-credentials',
      key: 'api.token',
    });
  });

  it('parses an object with a source', () => {
    const ref = parseSecretReference({ source: 'vault', name: 'db', key: 'password' });
    expect(ref).toEqual({ source: 'vault', name: 'db', key: 'password' });
    expect(Object.isFrozen(ref)).toBe(true);
  });

  it('throws a ConfigValidationError naming every bad part', () => {
    const error = (() => {
      try {
        parseSecretReference({ source: 'aws', name: 'Bad_Name', key: 'a/b' });
      } catch (e) {
        return e as ConfigValidationError;
      }
      throw new Error('expected a throw');
    })();
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect(error.issues.map((i) => i.path)).toEqual(['source', 'name', 'key']);
    expect(error.message).toContain('secret reference is invalid');
  });
});

describe('secretEnvVarName', () => {
  it('upper-cases name and key with underscores', () => {
    expect(secretEnvVarName({ name: 'crm-credentials', key: 'api.token' })).toBe(
      'FLOE_SECRET_CRM_CREDENTIALS_API_TOKEN',
    );
    expect(secretEnvVarName({ name: 'db' })).toBe('FLOE_SECRET_DB');
  });
});
