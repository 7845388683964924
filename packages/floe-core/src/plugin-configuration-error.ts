import { formatIssue, type ValidationIssue } from './config-validation-error.js';
import { ErrorCategory } from './error-category.js';
import { FloeError } from './floe-error.js';
import { brand, hasBrand } from './brand.js';

const BRAND = Symbol.for('floe.error.plugin-configuration');

/**
 * A plugin is declared or configured wrongly: a malformed `floe.plugins` entry in a package.json,
 * a module that exports no plugin, or plugin config that fails the plugin's `configSchema`.
 * `issues` name each field (`floe.plugins[0].type`, `config.uri`).
 */
export class PluginConfigurationError extends FloeError {
  /** The plugin concerned, as `type/name` when known. */
  readonly plugin: string | undefined;
  /** Every problem found, each with its field path. */
  readonly issues: readonly ValidationIssue[];

  constructor(summary: string, issues: readonly ValidationIssue[], options: { plugin?: string; cause?: unknown } = {}) {
    const list = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
    const details = list.map((issue) => `\n  ${formatIssue(issue)}`).join('');
    super(`${summary}${details}`, 'PLUGIN_CONFIG_INVALID', {
      category: ErrorCategory.CONFIGURATION,
      cause: options.cause,
    });
    this.plugin = options.plugin;
    this.issues = list;
    brand(this, BRAND);
  }

  /** Each issue as one `file: path: message` line. */
  lines(): string[] {
    return this.issues.map(formatIssue);
  }
}

/** True for a {@link PluginConfigurationError} from any copy of `@floe/core`. */
export function isPluginConfigurationError(error: unknown): error is PluginConfigurationError {
  return hasBrand(error, BRAND);
}
