import { join, resolve } from 'node:path';
import { isPlainObject } from './describe-value.js';

const CONDITIONS = ['import', 'node', 'default'];

/**
 * Resolves `subpath` (`.` or `./plugin`) of an installed package to a file, following its
 * `exports` map the way Node's ESM loader does for the conditions `import`, `node` and `default`
 * (exact keys, then `*` patterns). Without `exports`, `.` is `main` (or `index.js`) and other
 * subpaths are file paths. Returns `undefined` when the package does not export the subpath.
 */
export function resolvePackageExport(
  packageDir: string,
  packageJson: Record<string, unknown>,
  subpath: string,
): string | undefined {
  const exportsField = packageJson.exports;
  if (exportsField === undefined) {
    if (subpath !== '.') return resolve(packageDir, subpath);
    return resolve(packageDir, typeof packageJson.main === 'string' ? packageJson.main : 'index.js');
  }
  const map = isSubpathMap(exportsField) ? exportsField : { '.': exportsField };
  const target = map[subpath] !== undefined ? resolveTarget(map[subpath]) : matchPattern(map, subpath);
  return target === undefined || !target.startsWith('./') ? undefined : join(packageDir, target);
}

function isSubpathMap(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('.'));
}

function resolveTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const candidate of target) {
      const found = resolveTarget(candidate);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (isPlainObject(target)) {
    for (const [condition, value] of Object.entries(target)) {
      if (!CONDITIONS.includes(condition)) continue;
      const found = resolveTarget(value);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function matchPattern(map: Record<string, unknown>, subpath: string): string | undefined {
  const patterns = Object.keys(map)
    .filter((key) => key.includes('*'))
    .sort((a, b) => b.length - a.length);
  for (const pattern of patterns) {
    const [prefix = '', suffix = ''] = pattern.split('*');
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= prefix.length + suffix.length) {
      const match = subpath.slice(prefix.length, subpath.length - suffix.length);
      return resolveTarget(map[pattern])?.replaceAll('*', match);
    }
  }
  return undefined;
}
