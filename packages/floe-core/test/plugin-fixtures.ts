// Real node_modules trees in temp folders, for discovery tests: real package.json files and real ESM modules.
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** A fresh project folder. */
export async function makeProject(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'floe-discovery-'));
}

/** Writes a package (package.json plus files) into `dir`. */
export async function writePackage(
  dir: string,
  packageJson: Record<string, unknown>,
  files: Record<string, string> = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', ...packageJson }, null, 2));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

/** Symlinks `link` → `target` (relative, as pnpm does). */
export async function link(target: string, linkPath: string): Promise<void> {
  await mkdir(dirname(linkPath), { recursive: true });
  await symlink(relative(dirname(linkPath), target), linkPath, 'dir');
}

/** Source of a module whose default export is a plugin class. */
export function pluginClassModule(name: string, floeApiVersion = '1.0'): string {
  return `export default class Plugin {
  name = ${JSON.stringify(name)};
  version = '1.0.0';
  floeApiVersion = ${JSON.stringify(floeApiVersion)};
  description = 'test plugin';
}
`;
}

/** A package.json declaring one plugin. */
export function declaring(
  packageName: string,
  plugins: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { name: packageName, version: '1.0.0', exports: { '.': './index.js' }, floe: { plugins }, ...extra };
}
