/**
 * How a failure should be handled.
 *
 * - `TRANSIENT`: may succeed if retried (timeouts, 408/429/5xx, dropped connections).
 * - `PERMANENT`: retrying will not help (401/403, constraint violations on the data).
 * - `PARTIAL`: some rows were delivered, some were rejected.
 * - `CONFIGURATION`: the configuration is wrong (400/404/405/422, unknown table, bad mapping).
 */
export const ErrorCategory = {
  TRANSIENT: 'TRANSIENT',
  PERMANENT: 'PERMANENT',
  PARTIAL: 'PARTIAL',
  CONFIGURATION: 'CONFIGURATION',
} as const;

/** One of the four {@link ErrorCategory} values. */
export type ErrorCategory = (typeof ErrorCategory)[keyof typeof ErrorCategory];

/** All error categories, in a stable order. */
export const ERROR_CATEGORIES: readonly ErrorCategory[] = Object.freeze(Object.values(ErrorCategory));
