import { ErrorCategory } from './error-category.js';
import { FloeError } from './floe-error.js';
import { brand, hasBrand } from './brand.js';

const BRAND = Symbol.for('floe.error.plugin-not-found');

/**
 * No plugin of the requested type and name is installed or registered.
 *
 * @example
 * ```ts
 * try { await registry.get('ingestion', 'airbyte'); }
 * catch (e) { if (isPluginNotFoundError(e)) console.error(e.available); }
 * ```
 */
export class PluginNotFoundError extends FloeError {
  /** The plugin type asked for, e.g. `ingestion`. */
  readonly pluginType: string;
  /** The plugin name asked for. */
  readonly pluginName: string;
  /** Names of the plugins of that type that are available. */
  readonly available: readonly string[];

  constructor(pluginType: string, pluginName: string, available: readonly string[], options: { cause?: unknown } = {}) {
    const list = available.length > 0 ? available.join(', ') : 'none';
    super(
      `no ${pluginType} plugin named "${pluginName}" is installed (installed ${pluginType} plugins: ${list}); ` +
        'install a package that declares it under "floe.plugins" in its package.json, or register it',
      'PLUGIN_NOT_FOUND',
      { category: ErrorCategory.CONFIGURATION, cause: options.cause },
    );
    this.pluginType = pluginType;
    this.pluginName = pluginName;
    this.available = Object.freeze([...available]);
    brand(this, BRAND);
  }
}

/** True for a {@link PluginNotFoundError} from any copy of `@floe/core`. */
export function isPluginNotFoundError(error: unknown): error is PluginNotFoundError {
  return hasBrand(error, BRAND);
}
