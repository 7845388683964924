import { ErrorCategory } from './error-category.js';
import { FloeError } from './floe-error.js';
import { brand, hasBrand } from './brand.js';

const BRAND = Symbol.for('floe.error.plugin-whitelist');

/** A plugin selection is outside the enterprise manifest's `approved_plugins` for its category. */
export class PluginWhitelistError extends FloeError {
  /** The plugin category, e.g. `compute` (`category` is the error's {@link ErrorCategory}). */
  readonly pluginCategory: string;
  /** The rejected plugin type, e.g. `spark`. */
  readonly pluginType: string;
  /** The plugin types approved for the category. */
  readonly approvedPlugins: readonly string[];

  constructor(category: string, pluginType: string, approvedPlugins: readonly string[]) {
    super(
      `plugin "${pluginType}" is not approved for category "${category}" by the enterprise manifest ` +
        `(approved: ${approvedPlugins.length > 0 ? approvedPlugins.join(', ') : 'none'})`,
      'PLUGIN_WHITELIST',
      { category: ErrorCategory.CONFIGURATION },
    );
    this.pluginCategory = category;
    this.pluginType = pluginType;
    this.approvedPlugins = Object.freeze([...approvedPlugins]);
    brand(this, BRAND);
  }
}

/** True for a {@link PluginWhitelistError} from any copy of `@floe/core`. */
export function isPluginWhitelistError(error: unknown): error is PluginWhitelistError {
  return hasBrand(error, BRAND);
}
