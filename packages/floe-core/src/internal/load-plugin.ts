import { pathToFileURL } from 'node:url';
import { PluginConfigurationError } from '../plugin-configuration-error.js';
import type { PluginDeclaration } from '../plugin-declaration.js';
import type { PluginMetadata } from '../plugin-metadata.js';
import { resolvePackageExport } from './resolve-package-export.js';

const REQUIRED_FIELDS = ['name', 'version', 'floeApiVersion'] as const;

/** True for a `class` (instantiated with `new`), false for a plain or arrow function (called). */
function isClass(value: (...args: unknown[]) => unknown): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/**
 * Turns an export into a plugin: an object is used as is, a class is instantiated with no
 * arguments, a function is called (and awaited). The result must have `name`, `version` and
 * `floeApiVersion` strings.
 */
export async function materialisePlugin(
  exported: unknown,
  label: string,
  issuePath: string,
  file?: string,
): Promise<PluginMetadata> {
  let value: unknown = exported;
  if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown;
    value = isClass(fn) ? new (fn as unknown as new () => unknown)() : await fn();
  }
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  const missing = REQUIRED_FIELDS.filter((field) => typeof record?.[field] !== 'string');
  if (missing.length > 0) {
    throw new PluginConfigurationError(`${label} is not a floe plugin`, [
      {
        ...(file !== undefined && { file }),
        path: issuePath,
        message: `the exported plugin lacks string ${missing.join(', ')} (extend PluginMetadata)`,
      },
    ]);
  }
  return value as PluginMetadata;
}

/** Imports a declared plugin's module and returns the plugin export it names. */
export async function importDeclaredPlugin(
  declaration: PluginDeclaration,
  packageJson: Record<string, unknown>,
  file: string,
): Promise<unknown> {
  const base = `floe.plugins[${declaration.index}]`;
  const label = `${declaration.type} plugin "${declaration.name}" (${declaration.packageName})`;
  const target = resolvePackageExport(declaration.packageDir, packageJson, declaration.export);
  if (target === undefined) {
    throw new PluginConfigurationError(`${label} cannot be loaded`, [
      { file, path: `${base}.export`, message: `"${declaration.export}" is not in the package's exports map` },
    ]);
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(target).href)) as Record<string, unknown>;
  } catch (error) {
    throw new PluginConfigurationError(
      `${label} cannot be loaded`,
      [{ file, path: `${base}.export`, message: `importing ${target} failed: ${(error as Error).message}` }],
      { cause: error },
    );
  }
  const key = declaration.exportName ?? (module.default !== undefined ? 'default' : 'plugin');
  if (module[key] === undefined) {
    const path = declaration.exportName === undefined ? `${base}.export` : `${base}.exportName`;
    const hint =
      declaration.exportName === undefined
        ? 'no default export and no export named "plugin"'
        : `no export named "${key}"`;
    throw new PluginConfigurationError(`${label} cannot be loaded`, [{ file, path, message: `${target} has ${hint}` }]);
  }
  return module[key];
}
