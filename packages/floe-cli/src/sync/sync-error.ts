import { FloeError, type ErrorCategory } from '@floe/core';

/** Stable codes of {@link SyncError}. */
export type SyncErrorCode = 'SYNC_HISTORY_LOST';

/**
 * A sync run that cannot go ahead as configured (e.g. an append whose history no longer tells which rows were
 * added): a configuration error naming the fix.
 *
 * @example
 * ```ts
 * throw new SyncError('cannot tell which rows were added …: pass --full-resync', 'SYNC_HISTORY_LOST');
 * ```
 */
export class SyncError extends FloeError {
  declare readonly code: SyncErrorCode;

  constructor(message: string, code: SyncErrorCode, options: { category?: ErrorCategory; cause?: unknown } = {}) {
    super(message, code, {
      category: options.category ?? 'CONFIGURATION',
      ...(options.cause !== undefined && { cause: options.cause }),
    });
  }
}
