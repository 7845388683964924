import { z } from 'zod';
import type { ValidationIssue } from './config-validation-error.js';
import { isPlainObject } from './internal/describe-value.js';
import { strictObject } from './internal/strict-object.js';
import { toIssues } from './internal/raw-issue.js';
import { fromZodIssues } from './internal/zod-issues.js';
import { PLUGIN_TYPES, type PluginType } from './plugin-type.js';

/** The package.json field a package declares its floe plugins under. */
export const FLOE_PACKAGE_FIELD = 'floe';

const PluginEntrySchema = strictObject({
  type: z.enum(PLUGIN_TYPES as [PluginType, ...PluginType[]]),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, {
    error: 'must be lower-case letters, digits, ".", "_" and "-", starting with a letter or digit',
  }),
  export: z
    .string()
    .regex(/^\.(\/.+)?$/, { error: 'must be "." or a subpath of the package\'s exports map such as "./plugin"' })
    .default('.'),
  exportName: z
    .string()
    .regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, { error: 'must be a JavaScript export name' })
    .optional(),
  floeApiVersion: z
    .string()
    .regex(/^\d+\.\d+$/, { error: 'must be "MAJOR.MINOR", e.g. "1.0"' })
    .optional(),
});

const FloeFieldSchema = z.object({ plugins: z.array(PluginEntrySchema) });

/**
 * One plugin an installed package declares in its package.json — the npm equivalent of a
 * Python entry point:
 *
 * ```json
 * "floe": { "plugins": [{ "type": "ingestion", "name": "dlt", "export": "." }] }
 * ```
 *
 * - `type`: a {@link PluginType}; `name`: unique within the type.
 * - `export` (default `"."`): a subpath of the package's `exports` map (conditions `import`,
 *   `node`, `default` are used, in that order), or a file path when the package has no `exports`.
 * - `exportName` (optional): the named export holding the plugin. Without it the module's
 *   `default` export is used, else its `plugin` export.
 * - `floeApiVersion` (optional): lets the registry reject an incompatible plugin before importing it.
 *
 * The export is a plugin object, a class (instantiated with no arguments) or a function
 * returning a plugin (or a promise of one).
 */
export interface PluginDeclaration {
  readonly type: PluginType;
  readonly name: string;
  readonly export: string;
  readonly exportName?: string;
  readonly floeApiVersion?: string;
  /** Position in the package's `floe.plugins` list. */
  readonly index: number;
  readonly packageName: string;
  readonly packageVersion: string;
  /** The package's real directory (symlinks resolved). */
  readonly packageDir: string;
}

/**
 * Reads the plugin declarations of one package.json. Malformed entries are returned as issues
 * (`floe.plugins[0].type: must be one of …`) and skipped; the others still count.
 */
export function readPluginDeclarations(
  packageJson: unknown,
  packageDir: string,
  file?: string,
): { declarations: PluginDeclaration[]; issues: ValidationIssue[] } {
  if (!isPlainObject(packageJson) || packageJson[FLOE_PACKAGE_FIELD] === undefined)
    return { declarations: [], issues: [] };
  const field = packageJson[FLOE_PACKAGE_FIELD];
  const context = file === undefined ? {} : { file };
  const parsed = FloeFieldSchema.safeParse(field);
  if (!parsed.success) {
    const raw = fromZodIssues(parsed.error.issues, field, [FLOE_PACKAGE_FIELD]);
    const good = goodEntries(field);
    return {
      declarations: good.map(([entry, index]) => declare(entry, index, packageJson, packageDir)),
      issues: toIssues(raw, context),
    };
  }
  return {
    declarations: parsed.data.plugins.map((entry, index) => declare(entry, index, packageJson, packageDir)),
    issues: [],
  };
}

type Entry = z.output<typeof PluginEntrySchema>;

function goodEntries(field: unknown): [Entry, number][] {
  const list = isPlainObject(field) && Array.isArray(field.plugins) ? (field.plugins as unknown[]) : [];
  return list.flatMap((item, index): [Entry, number][] => {
    const parsed = PluginEntrySchema.safeParse(item);
    return parsed.success ? [[parsed.data, index]] : [];
  });
}

function declare(entry: Entry, index: number, json: Record<string, unknown>, packageDir: string): PluginDeclaration {
  return Object.freeze({
    ...entry,
    index,
    packageName: typeof json.name === 'string' ? json.name : packageDir,
    packageVersion: typeof json.version === 'string' ? json.version : '0.0.0',
    packageDir,
  });
}
