import { ErrorCategory } from './error-category.js';
import { FloeError } from './floe-error.js';
import { brand, hasBrand } from './brand.js';

const BRAND = Symbol.for('floe.error.duplicate-plugin');

/**
 * Two sources declare a plugin with the same type and name (two installed packages, or a
 * package and a `register()` call). Uninstall one, or register under another name.
 */
export class DuplicatePluginError extends FloeError {
  readonly pluginType: string;
  readonly pluginName: string;
  /** Where each declaration came from: package names (`@acme/floe-dlt@1.2.0`) or `register()`. */
  readonly sources: readonly string[];

  constructor(pluginType: string, pluginName: string, sources: readonly string[]) {
    super(
      `${pluginType} plugin "${pluginName}" is declared more than once (by ${sources.join(' and ')}); keep one`,
      'PLUGIN_DUPLICATE',
      { category: ErrorCategory.CONFIGURATION },
    );
    this.pluginType = pluginType;
    this.pluginName = pluginName;
    this.sources = Object.freeze([...sources]);
    brand(this, BRAND);
  }
}

/** True for a {@link DuplicatePluginError} from any copy of `@floe/core`. */
export function isDuplicatePluginError(error: unknown): error is DuplicatePluginError {
  return hasBrand(error, BRAND);
}
