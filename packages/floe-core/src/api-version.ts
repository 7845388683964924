/** The plugin API version this platform implements, as `"MAJOR.MINOR"`. */
export const FLOE_PLUGIN_API_VERSION = '1.0';

const API_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Parses `"MAJOR.MINOR"`; throws a `TypeError` naming the bad value otherwise. */
export function parseApiVersion(version: string): { major: number; minor: number } {
  const match = API_VERSION.exec(version);
  if (!match) throw new TypeError(`invalid floe API version "${version}": expected "MAJOR.MINOR", e.g. "1.0"`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/**
 * Whether a plugin built for API `plugin` runs on a platform offering API `platform`:
 * the majors are equal and the plugin's minor is not newer than the platform's.
 *
 * @example
 * ```ts
 * isCompatible('1.0', FLOE_PLUGIN_API_VERSION); // true
 * isCompatible('2.0', '1.5');                   // false
 * ```
 */
export function isCompatible(plugin: string, platform: string = FLOE_PLUGIN_API_VERSION): boolean {
  const a = parseApiVersion(plugin);
  const b = parseApiVersion(platform);
  return a.major === b.major && a.minor <= b.minor;
}
