import { FloeError, isFloeError, type ErrorCategory } from '@floe/core';

/** Stable codes of {@link DeliveryError}. */
export type DeliveryErrorCode =
  | 'LEDGER_RUN_MISMATCH'
  | 'LEDGER_NO_RUN'
  | 'LEDGER_CLOSED'
  | 'LEDGER_SOURCE_MISMATCH'
  | 'STATE_STORE_LOCATION'
  | 'SYNC_STATE_INVALID'
  | 'MASS_DELETE';

/** Options of {@link DeliveryError}. */
export interface DeliveryErrorOptions {
  readonly category?: ErrorCategory;
  readonly cause?: unknown;
  /** The destination the run delivers, when known. */
  readonly destination?: string;
  /** The option or setting at fault (e.g. `--state-store`), for configuration errors. */
  readonly option?: string;
}

/**
 * A failure of the delivery protocol itself: a ledger that does not describe this run, a state store that
 * cannot be opened, a source that no longer reads the batches an earlier attempt recorded.
 *
 * @example
 * ```ts
 * try { await ledger.begin(init); } catch (e) { if (isDeliveryError(e) && e.code === 'LEDGER_RUN_MISMATCH') restart(); }
 * ```
 */
export class DeliveryError extends FloeError {
  declare readonly code: DeliveryErrorCode;
  readonly destination: string | undefined;
  readonly option: string | undefined;

  constructor(message: string, code: DeliveryErrorCode, options: DeliveryErrorOptions = {}) {
    super(message, code, {
      category: options.category ?? 'CONFIGURATION',
      ...(options.cause !== undefined && { cause: options.cause }),
    });
    this.destination = options.destination;
    this.option = options.option;
  }
}

/** True for a {@link DeliveryError} from any copy of this package. */
export function isDeliveryError(error: unknown): error is DeliveryError {
  return isFloeError(error) && error.name === 'DeliveryError';
}
