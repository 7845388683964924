import { ErrorCategory, FloeError } from '@floe/core';

const BRAND = Symbol.for('floe.cli.secret-not-found');

/** A destination's connection Secret (or a key it needs) was not found. Names the ref and every place looked. */
export class SecretNotFoundError extends FloeError {
  /** The Secret's name (`connection_secret_ref`). */
  readonly secretName: string;
  /** The keys that were missing. */
  readonly missingKeys: readonly string[];
  /** Every environment variable and file looked at. */
  readonly lookedIn: readonly string[];

  constructor(
    message: string,
    details: { secretName: string; missingKeys: readonly string[]; lookedIn: readonly string[] },
  ) {
    super(message, 'SECRET_NOT_FOUND', { category: ErrorCategory.CONFIGURATION });
    this.secretName = details.secretName;
    this.missingKeys = Object.freeze([...details.missingKeys]);
    this.lookedIn = Object.freeze([...details.lookedIn]);
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for a {@link SecretNotFoundError} from any copy of this package. */
export function isSecretNotFoundError(error: unknown): error is SecretNotFoundError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}
