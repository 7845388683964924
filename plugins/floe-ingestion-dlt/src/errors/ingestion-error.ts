import { ErrorCategory, FloeError } from '@floe/core';
import { INGESTION_ERROR, brand, hasBrand } from './error-brand.js';
import { sanitizeErrorMessage } from './sanitize-error-message.js';

/** Where an error happened: the destination and what it answered. No secrets. */
export interface IngestionErrorContext {
  /** The sink type, e.g. `rest_api`. */
  readonly sinkType?: string;
  /** The destination's name (from floe.yaml). */
  readonly destination?: string;
  /** HTTP status of the destination's answer, if any. */
  readonly httpStatus?: number;
  /** Attempts made, including the first. */
  readonly attempts?: number;
}

/** Options of {@link IngestionError}. */
export interface IngestionErrorOptions extends IngestionErrorContext {
  readonly category?: ErrorCategory;
  /** The underlying error (ES2022 `cause`). Pass a sanitised copy (see `safeCause`) when it may hold secrets. */
  readonly cause?: unknown;
  /** A stable machine-readable code; defaults per class. */
  readonly code?: string;
}

/**
 * Base of every error this plugin throws. The message is sanitised (no credentials) and ends with the
 * context, e.g. `HTTP 500 from the destination [sink_type=rest_api, destination=crm, attempts=5]`.
 *
 * @example
 * ```ts
 * throw new IngestionError('table is missing', { category: 'CONFIGURATION', sinkType: 'sql_database', destination: 'dw' });
 * ```
 */
export class IngestionError extends FloeError {
  readonly sinkType: string | undefined;
  readonly destination: string | undefined;
  readonly httpStatus: number | undefined;
  /** Attempts made, including the first (set by the retry policy when it gives up). */
  readonly attempts: number | undefined;
  /** The message without the context suffix. */
  readonly detail: string;

  constructor(message: string, options: IngestionErrorOptions = {}) {
    const detail = sanitizeErrorMessage(message);
    super(`${detail}${contextSuffix(options)}`, options.code ?? 'INGESTION_ERROR', {
      category: options.category ?? ErrorCategory.PERMANENT,
      ...(options.cause !== undefined && { cause: options.cause }),
    });
    this.detail = detail;
    this.sinkType = options.sinkType;
    this.destination = options.destination;
    this.httpStatus = options.httpStatus;
    this.attempts = options.attempts;
    brand(this, INGESTION_ERROR);
  }

  /** The error's context as keyword pairs, for logs and spans. */
  get context(): IngestionErrorContext {
    return {
      ...(this.sinkType !== undefined && { sinkType: this.sinkType }),
      ...(this.destination !== undefined && { destination: this.destination }),
      ...(this.httpStatus !== undefined && { httpStatus: this.httpStatus }),
      ...(this.attempts !== undefined && { attempts: this.attempts }),
    };
  }
}

/** `[sink_type=…, destination=…, http_status=…, attempts=…]`, or `''` without context. */
export function contextSuffix(context: IngestionErrorContext): string {
  const pairs: string[] = [];
  if (context.sinkType !== undefined) pairs.push(`sink_type=${context.sinkType}`);
  if (context.destination !== undefined) pairs.push(`destination=${context.destination}`);
  if (context.httpStatus !== undefined) pairs.push(`http_status=${context.httpStatus}`);
  if (context.attempts !== undefined) pairs.push(`attempts=${context.attempts}`);
  return pairs.length === 0 ? '' : ` [${pairs.join(', ')}]`;
}

/** True for any {@link IngestionError}, from any copy of this package. */
export function isIngestionError(error: unknown): error is IngestionError {
  return hasBrand(error, INGESTION_ERROR);
}
