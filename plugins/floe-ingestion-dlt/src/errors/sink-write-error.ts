import { ErrorCategory } from '@floe/core';
import { SINK_WRITE_ERROR, brand, hasBrand } from './error-brand.js';
import { IngestionError, type IngestionErrorOptions } from './ingestion-error.js';

/** Options of {@link SinkWriteError}. */
export interface SinkWriteErrorOptions extends IngestionErrorOptions {
  /** How long the destination asked us to wait before retrying (from `Retry-After`), in ms. */
  readonly retryAfterMs?: number;
}

/**
 * The destination refused or failed a write (FR-013): carries the destination name, sink type, HTTP status
 * and attempt count. TRANSIENT unless a category is given.
 *
 * @example
 * ```ts
 * throw new SinkWriteError('HTTP 503 Service Unavailable', { httpStatus: 503, retryAfterMs: 2000, sinkType: 'rest_api', destination: 'crm' });
 * ```
 */
export class SinkWriteError extends IngestionError {
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: SinkWriteErrorOptions = {}) {
    super(message, {
      ...options,
      code: options.code ?? 'SINK_WRITE',
      category: options.category ?? ErrorCategory.TRANSIENT,
    });
    this.retryAfterMs = options.retryAfterMs;
    brand(this, SINK_WRITE_ERROR);
  }
}

/** True for any {@link SinkWriteError}, from any copy of this package. */
export function isSinkWriteError(error: unknown): error is SinkWriteError {
  return hasBrand(error, SINK_WRITE_ERROR);
}
