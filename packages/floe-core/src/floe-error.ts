import { ErrorCategory } from './error-category.js';

const FLOE_ERROR = Symbol.for('floe.error');

/** Options shared by every {@link FloeError}. */
export interface FloeErrorOptions {
  /** How the failure should be handled; defaults to the class's own category. */
  category?: ErrorCategory;
  /** The underlying error (ES2022 `cause`). */
  cause?: unknown;
}

/**
 * Base class of every error floe throws. It carries a stable `code`, a {@link ErrorCategory},
 * and the ES2022 `cause`. Use {@link isFloeError} rather than `instanceof`: the brand survives
 * duplicate copies of `@floe/core` in one process.
 *
 * @example
 * ```ts
 * try { await run(); } catch (e) {
 *   if (isFloeError(e) && e.category === 'TRANSIENT') scheduleRetry();
 * }
 * ```
 */
export class FloeError extends Error {
  /** Stable machine-readable code, e.g. `SINK_WHITELIST`. */
  readonly code: string;
  /** How the failure should be handled. */
  readonly category: ErrorCategory;

  constructor(message: string, code: string, options: FloeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.category = options.category ?? ErrorCategory.PERMANENT;
    Object.defineProperty(this, FLOE_ERROR, { value: true });
  }
}

/** True for any {@link FloeError}, from any copy of `@floe/core`. */
export function isFloeError(error: unknown): error is FloeError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[FLOE_ERROR] === true;
}
