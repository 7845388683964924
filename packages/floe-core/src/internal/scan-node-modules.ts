import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** An installed package found by {@link scanNodeModules}. */
export interface FoundPackage {
  /** Real directory (symlinks resolved). */
  readonly dir: string;
  readonly packageJsonPath: string;
  /** The parsed package.json. */
  readonly json: unknown;
}

/** `cwd/node_modules`, then each parent's `node_modules`, up to the file-system root. */
export function nodeModulesChain(cwd: string): string[] {
  const dirs: string[] = [];
  let current = resolve(cwd);
  for (;;) {
    dirs.push(join(current, 'node_modules'));
    const parent = dirname(current);
    if (parent === current) return dirs;
    current = parent;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Package directories directly in a node_modules folder, including `@scope/name`; dot-folders (`.pnpm`, `.bin`) skipped. */
function packageDirs(nodeModules: string): string[] {
  return safeReaddir(nodeModules)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) =>
      name.startsWith('@')
        ? safeReaddir(join(nodeModules, name))
            .filter((inner) => !inner.startsWith('.'))
            .map((inner) => join(nodeModules, name, inner))
        : [join(nodeModules, name)],
    );
}

/**
 * Reads the package.json of every package in the given node_modules folders (nearest first).
 * Only package.json files are read, and only those mentioning `"floe"` are parsed. A package
 * name seen in a nearer folder shadows farther copies, as Node's resolution does; symlinked
 * (pnpm) packages are followed and deduplicated by real path.
 */
export function scanNodeModules(nodeModulesDirs: readonly string[]): FoundPackage[] {
  const seenNames = new Set<string>();
  const seenDirs = new Set<string>();
  const found: FoundPackage[] = [];
  for (const nodeModules of nodeModulesDirs) {
    for (const dir of packageDirs(nodeModules)) {
      const name = dir.slice(nodeModules.length + 1);
      if (seenNames.has(name)) continue;
      const pkg = readPackage(dir);
      if (!pkg) continue;
      seenNames.add(name);
      if (seenDirs.has(pkg.dir)) continue;
      seenDirs.add(pkg.dir);
      if (pkg.json !== undefined) found.push(pkg);
    }
  }
  return found;
}

function readPackage(dir: string): FoundPackage | undefined {
  const packageJsonPath = join(dir, 'package.json');
  let text: string;
  try {
    if (!statSync(packageJsonPath).isFile()) return undefined;
    text = readFileSync(packageJsonPath, 'utf8');
  } catch {
    return undefined;
  }
  const real = realpathSync(dir);
  if (!text.includes('"floe"')) return { dir: real, packageJsonPath, json: undefined };
  try {
    return { dir: real, packageJsonPath: join(real, 'package.json'), json: JSON.parse(text) as unknown };
  } catch {
    return { dir: real, packageJsonPath, json: undefined };
  }
}
