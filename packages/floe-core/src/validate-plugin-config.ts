import type { PathSegment } from './internal/format-path.js';
import { toIssues } from './internal/raw-issue.js';
import { fromZodIssues } from './internal/zod-issues.js';
import { PluginConfigurationError } from './plugin-configuration-error.js';
import type { PluginMetadata } from './plugin-metadata.js';

/** Options of {@link validatePluginConfig}. */
export interface ValidatePluginConfigOptions {
  /** The file the config came from, e.g. `manifest.yaml`. */
  readonly file?: string;
  /** Where the config block sits in that file, e.g. `['plugins', 'catalog', 'config']`. */
  readonly path?: readonly (string | number)[];
}

/**
 * Validates a plugin's configuration block against its `configSchema` and returns the parsed
 * value (the config unchanged when the plugin has no schema). Throws a
 * {@link PluginConfigurationError} whose issues name each field (`plugins.catalog.config.uri`).
 *
 * @example
 * ```ts
 * const config = validatePluginConfig(polaris, manifest.plugins.catalog?.config ?? {}, {
 *   file: 'manifest.yaml', path: ['plugins', 'catalog', 'config'],
 * });
 * ```
 */
export function validatePluginConfig<T = unknown>(
  plugin: Pick<PluginMetadata, 'name' | 'configSchema'>,
  config: unknown,
  options: ValidatePluginConfigOptions = {},
): T {
  const schema = plugin.configSchema;
  if (!schema) return config as T;
  const parsed = schema.safeParse(config);
  if (parsed.success) return parsed.data as T;
  const prefix: readonly PathSegment[] = options.path ?? [];
  const issues = toIssues(
    fromZodIssues(parsed.error.issues, config, prefix),
    options.file === undefined ? {} : { file: options.file },
  );
  throw new PluginConfigurationError(`plugin "${plugin.name}" is misconfigured`, issues, { plugin: plugin.name });
}
