import { ErrorCategory } from './error-category.js';
import { FloeError } from './floe-error.js';
import { brand, hasBrand } from './brand.js';

const BRAND = Symbol.for('floe.error.sink-whitelist');

/** A destination's sink type is not in the enterprise manifest's `approved_sinks` (FR-017). */
export class SinkWhitelistError extends FloeError {
  /** The rejected sink type. */
  readonly sinkType: string;
  /** The sink types the platform approves. */
  readonly approvedSinks: readonly string[];

  constructor(sinkType: string, approvedSinks: readonly string[]) {
    super(
      `sink type "${sinkType}" is not approved by the platform manifest ` +
        `(approved_sinks: ${approvedSinks.length > 0 ? approvedSinks.join(', ') : 'none'})`,
      'SINK_WHITELIST',
      { category: ErrorCategory.CONFIGURATION },
    );
    this.sinkType = sinkType;
    this.approvedSinks = Object.freeze([...approvedSinks]);
    brand(this, BRAND);
  }
}

/** True for a {@link SinkWhitelistError} from any copy of `@floe/core`. */
export function isSinkWhitelistError(error: unknown): error is SinkWhitelistError {
  return hasBrand(error, BRAND);
}
