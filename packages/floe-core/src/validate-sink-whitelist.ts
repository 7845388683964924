import { SinkWhitelistError } from './sink-whitelist-error.js';

/**
 * Throws a {@link SinkWhitelistError} when `sinkType` is not approved. `approvedSinks` undefined
 * means no restriction; an empty list rejects every sink type.
 *
 * @example
 * ```ts
 * validateSinkWhitelist('rest_api', manifest.approved_sinks); // ok, or throws
 * ```
 */
export function validateSinkWhitelist(sinkType: string, approvedSinks: readonly string[] | undefined): void {
  if (approvedSinks === undefined) return;
  if (!approvedSinks.includes(sinkType)) throw new SinkWhitelistError(sinkType, approvedSinks);
}
