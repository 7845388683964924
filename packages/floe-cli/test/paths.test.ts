import { describe, expect, it } from '@jest/globals';
import { isUri, projectPaths, resolveProjectPath, stateDir } from '../src/paths.js';

describe('paths', () => {
  it('resolves --spec against the working directory and defaults to ./floe.yaml', () => {
    expect(projectPaths(undefined, '/work')).toEqual({ specFile: '/work/floe.yaml', baseDir: '/work' });
    expect(projectPaths('../p/floe.yaml', '/work/x')).toEqual({ specFile: '/work/p/floe.yaml', baseDir: '/work/p' });
  });

  it('resolves paths written in floe.yaml against its folder, leaving URIs and absolute paths alone', () => {
    expect(resolveProjectPath('/proj', 'data/t')).toBe('/proj/data/t');
    expect(resolveProjectPath('/proj', '/abs/t')).toBe('/abs/t');
    expect(resolveProjectPath('/proj', 's3://bucket/t')).toBe('s3://bucket/t');
    expect(isUri('file:///x')).toBe(true);
    expect(isUri('gold.customers')).toBe(false);
  });

  it('puts the state folder beside floe.yaml unless --state-dir says otherwise', () => {
    const paths = projectPaths('/proj/floe.yaml', '/elsewhere');
    expect(stateDir(paths, '/elsewhere', undefined)).toBe('/proj/.floe');
    expect(stateDir(paths, '/elsewhere', 'state')).toBe('/elsewhere/state');
  });
});
