import { ErrorCategory } from '@floe/core';
import { SINK_CONNECTION_ERROR, brand, hasBrand } from './error-brand.js';
import { IngestionError, type IngestionErrorOptions } from './ingestion-error.js';

/**
 * The destination could not be reached (refused, reset, timed out, circuit open). TRANSIENT by default.
 *
 * @example
 * ```ts
 * if (isSinkConnectionError(e)) console.warn('destination down, will retry later', e.destination);
 * ```
 */
export class SinkConnectionError extends IngestionError {
  constructor(message: string, options: IngestionErrorOptions = {}) {
    super(message, {
      ...options,
      code: options.code ?? 'SINK_CONNECTION',
      category: options.category ?? ErrorCategory.TRANSIENT,
    });
    brand(this, SINK_CONNECTION_ERROR);
  }
}

/** True for any {@link SinkConnectionError}, from any copy of this package. */
export function isSinkConnectionError(error: unknown): error is SinkConnectionError {
  return hasBrand(error, SINK_CONNECTION_ERROR);
}
