import { ErrorCategory } from './error-category.js';
import { FloeError } from './floe-error.js';
import { brand, hasBrand } from './brand.js';

const BRAND = Symbol.for('floe.error.plugin-incompatible');

/**
 * A plugin was built for a floe plugin API this platform does not offer: majors differ, or the
 * plugin's minor is newer than the platform's (see `isCompatible`).
 */
export class PluginIncompatibleError extends FloeError {
  readonly pluginType: string;
  readonly pluginName: string;
  /** The API version the plugin declares (`floeApiVersion`). */
  readonly pluginApiVersion: string;
  /** The API version this platform offers. */
  readonly platformApiVersion: string;

  constructor(
    pluginType: string,
    pluginName: string,
    pluginApiVersion: string,
    platformApiVersion: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      `${pluginType} plugin "${pluginName}" needs floe plugin API ${pluginApiVersion}, ` +
        `but this platform offers ${platformApiVersion}; install a version of the plugin built for API ${platformApiVersion}`,
      'PLUGIN_INCOMPATIBLE',
      { category: ErrorCategory.CONFIGURATION, cause: options.cause },
    );
    this.pluginType = pluginType;
    this.pluginName = pluginName;
    this.pluginApiVersion = pluginApiVersion;
    this.platformApiVersion = platformApiVersion;
    brand(this, BRAND);
  }
}

/** True for a {@link PluginIncompatibleError} from any copy of `@floe/core`. */
export function isPluginIncompatibleError(error: unknown): error is PluginIncompatibleError {
  return hasBrand(error, BRAND);
}
