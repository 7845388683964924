import { describe, expect, it } from '@jest/globals';
import { resolvePackageExport } from '../../src/internal/resolve-package-export.js';

const dir = '/pkg';

describe('resolvePackageExport', () => {
  it('resolves main or index.js without an exports map, and file subpaths', () => {
    expect(resolvePackageExport(dir, { main: 'lib/a.js' }, '.')).toBe('/pkg/lib/a.js');
    expect(resolvePackageExport(dir, {}, '.')).toBe('/pkg/index.js');
    expect(resolvePackageExport(dir, {}, './lib/b.js')).toBe('/pkg/lib/b.js');
  });

  it('treats a string or a conditions object as the "." export', () => {
    expect(resolvePackageExport(dir, { exports: './dist/index.js' }, '.')).toBe('/pkg/dist/index.js');
    expect(
      resolvePackageExport(dir, { exports: { types: './a.d.ts', require: './a.cjs', import: './a.mjs' } }, '.'),
    ).toBe('/pkg/a.mjs');
  });

  it('prefers import, then node, then default, skipping other conditions', () => {
    expect(
      resolvePackageExport(dir, { exports: { '.': { browser: './b.js', node: './n.js', default: './d.js' } } }, '.'),
    ).toBe('/pkg/n.js');
    expect(resolvePackageExport(dir, { exports: { '.': { require: './r.cjs', default: './d.js' } } }, '.')).toBe(
      '/pkg/d.js',
    );
    expect(
      resolvePackageExport(dir, { exports: { '.': { import: { types: './x.d.ts', default: './x.js' } } } }, '.'),
    ).toBe('/pkg/x.js');
  });

  it('tries array fallbacks in order', () => {
    expect(resolvePackageExport(dir, { exports: { '.': [{ worker: './w.js' }, './f.js'] } }, '.')).toBe('/pkg/f.js');
    expect(resolvePackageExport(dir, { exports: { '.': [{ worker: './w.js' }] } }, '.')).toBeUndefined();
  });

  it('matches * patterns, the longest first', () => {
    const exports = { './plugins/*': './dist/plugins/*.js', './plugins/special/*': './dist/special/*.js' };
    expect(resolvePackageExport(dir, { exports }, './plugins/dlt')).toBe('/pkg/dist/plugins/dlt.js');
    expect(resolvePackageExport(dir, { exports }, './plugins/special/x')).toBe('/pkg/dist/special/x.js');
  });

  it('returns undefined for unexported subpaths, null targets and targets outside the package', () => {
    expect(resolvePackageExport(dir, { exports: { '.': './a.js' } }, './b')).toBeUndefined();
    expect(resolvePackageExport(dir, { exports: { '.': null } }, '.')).toBeUndefined();
    expect(resolvePackageExport(dir, { exports: { '.': '../escape.js' } }, '.')).toBeUndefined();
  });
});
