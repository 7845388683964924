import { PluginWhitelistError } from './plugin-whitelist-error.js';

/**
 * Throws a {@link PluginWhitelistError} when a domain's plugin choice is outside the enterprise
 * manifest's `approved_plugins` for `category`. A category absent from `approvedPlugins` (or
 * `approvedPlugins` undefined) is unrestricted; an empty list for a category rejects everything.
 *
 * @example
 * ```ts
 * validateDomainPluginWhitelist('compute', 'duckdb', { compute: ['duckdb', 'snowflake'] }); // ok
 * ```
 */
export function validateDomainPluginWhitelist(
  category: string,
  pluginType: string,
  approvedPlugins: Readonly<Record<string, readonly string[] | undefined>> | undefined,
): void {
  const approved = approvedPlugins?.[category];
  if (approved === undefined) return;
  if (!approved.includes(pluginType)) throw new PluginWhitelistError(category, pluginType, approved);
}
