import { describe, expect, it } from '@jest/globals';
import { FORBIDDEN_ENVIRONMENT_KEYS, findEnvironmentKeys } from '../src/index.js';

describe('findEnvironmentKeys', () => {
  it('includes the usual environment names', () => {
    for (const key of ['env', 'environments', 'prod', 'staging', 'dev', 'production', 'development']) {
      expect(FORBIDDEN_ENVIRONMENT_KEYS.has(key)).toBe(true);
    }
  });

  it('names each offending key with the file', () => {
    const issues = findEnvironmentKeys({ PROD: {}, plugins: { compute: { env: {} } } }, { file: 'manifest.yaml' });
    expect(issues.map((i) => `${i.file}: ${i.path}`)).toEqual([
      'manifest.yaml: PROD',
      'manifest.yaml: plugins.compute.env',
    ]);
    expect(issues[0]!.message).toContain('environment-agnostic');
  });

  it('leaves plugin config blocks and other sections alone', () => {
    expect(findEnvironmentKeys({ plugins: { compute: { config: { env: 'x' } } }, metadata: { dev: 1 } })).toEqual([]);
    expect(findEnvironmentKeys(null)).toEqual([]);
  });
});
