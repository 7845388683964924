import { ConfigValidationError, type ValidationIssue } from './config-validation-error.js';
import type { ErrorCategory } from './error-category.js';

/**
 * One failure reported in an {@link EgressResult}. A per-record error names the row (`row`, its
 * position in the source, 0-based) and/or its `key`; a batch-level error names the `batch` only.
 */
export interface EgressRecordError {
  readonly message: string;
  readonly category: ErrorCategory;
  /** 0-based position of the rejected row in the source data. */
  readonly row?: number;
  /** The rejected row's key (primary key or record id), when known. */
  readonly key?: string;
  /** 0-based index of the batch the failure belongs to. */
  readonly batch?: number;
  /** HTTP status the destination answered with, if any. */
  readonly httpStatus?: number;
}

/** The nine fields of a delivery receipt (FR-003). */
export interface EgressResultInit {
  /** True when every row was delivered. */
  readonly success: boolean;
  readonly rowsDelivered: number;
  /** Payload bytes actually sent to the destination. */
  readonly bytesTransmitted: number;
  readonly durationSeconds: number;
  /**
   * Lower-case hex SHA-256 of the delivered payload; `''` when a failed delivery sent nothing (there is no
   * payload to check: {@link EMPTY_CHECKSUM} would claim an empty one was delivered).
   */
  readonly checksum: string;
  /** ISO-8601 UTC (`…Z`); a `Date` is converted. */
  readonly deliveryTimestamp: string | Date;
  /** Deterministic for the same destination and data. */
  readonly idempotencyKey: string;
  /** Ids the destination returned (record ids; primary keys for SQL). */
  readonly destinationRecordIds?: readonly string[];
  readonly errors?: readonly EgressRecordError[];
  /**
   * Change rows handled without writing (a sync `update` of a record the destination no longer has): neither
   * delivered nor rejected. Default 0.
   */
  readonly rowsSkipped?: number;
}

/** SHA-256 of zero bytes: the checksum of an empty delivery. */
export const EMPTY_CHECKSUM = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const CHECKSUM = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** `delivered`: all rows; `partial`: some rows rejected; `failed`: the delivery stopped. */
export type EgressStatus = 'delivered' | 'partial' | 'failed';

/**
 * A delivery receipt: what reached the destination, how, and what did not.
 * Immutable; its lists are copies, never shared with the caller or another receipt.
 *
 * @example
 * ```ts
 * const receipt = await connector.write(sink, table);
 * if (receipt.status === 'partial') for (const e of receipt.errors) console.warn(e.row, e.message);
 * ```
 */
export class EgressResult {
  readonly success: boolean;
  readonly rowsDelivered: number;
  readonly bytesTransmitted: number;
  readonly durationSeconds: number;
  readonly checksum: string;
  readonly deliveryTimestamp: string;
  readonly idempotencyKey: string;
  readonly destinationRecordIds: readonly string[];
  readonly errors: readonly EgressRecordError[];
  readonly #rowsSkipped: number;

  constructor(init: EgressResultInit) {
    const deliveryTimestamp =
      init.deliveryTimestamp instanceof Date ? init.deliveryTimestamp.toISOString() : init.deliveryTimestamp;
    const issues = validate({ ...init, deliveryTimestamp });
    if (issues.length > 0) throw new ConfigValidationError(issues, { subject: 'EgressResult' });
    this.success = init.success;
    this.rowsDelivered = init.rowsDelivered;
    this.bytesTransmitted = init.bytesTransmitted;
    this.durationSeconds = init.durationSeconds;
    this.checksum = init.checksum;
    this.deliveryTimestamp = deliveryTimestamp;
    this.idempotencyKey = init.idempotencyKey;
    this.destinationRecordIds = Object.freeze([...(init.destinationRecordIds ?? [])]);
    this.errors = Object.freeze((init.errors ?? []).map((error) => Object.freeze({ ...error })));
    this.#rowsSkipped = init.rowsSkipped ?? 0;
    Object.freeze(this);
  }

  /** Change rows handled without writing (see {@link EgressResultInit.rowsSkipped}). */
  get rowsSkipped(): number {
    return this.#rowsSkipped;
  }

  /** Rows the destination rejected (errors that name a row or key). */
  get rowsRejected(): number {
    return this.errors.filter((error) => error.row !== undefined || error.key !== undefined).length;
  }

  /** Full, partial or failed delivery. */
  get status(): EgressStatus {
    if (this.success) return 'delivered';
    const batchFailure = this.errors.some((error) => error.row === undefined && error.key === undefined);
    return batchFailure ? 'failed' : 'partial';
  }

  /** A plain object with the nine fields plus `status` and `rowsRejected`. */
  toJSON(): Record<string, unknown> {
    return {
      success: this.success,
      status: this.status,
      rowsDelivered: this.rowsDelivered,
      rowsRejected: this.rowsRejected,
      bytesTransmitted: this.bytesTransmitted,
      durationSeconds: this.durationSeconds,
      checksum: this.checksum,
      deliveryTimestamp: this.deliveryTimestamp,
      idempotencyKey: this.idempotencyKey,
      destinationRecordIds: [...this.destinationRecordIds],
      errors: this.errors.map((error) => ({ ...error })),
      ...(this.rowsSkipped > 0 && { rowsSkipped: this.rowsSkipped }),
    };
  }
}

function validate(init: EgressResultInit & { deliveryTimestamp: string }): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const count = (path: keyof EgressResultInit, value: number): void => {
    if (!Number.isSafeInteger(value) || value < 0) issues.push({ path, message: 'must be a whole number ≥ 0' });
  };
  count('rowsDelivered', init.rowsDelivered);
  if (init.rowsSkipped !== undefined) count('rowsSkipped', init.rowsSkipped);
  count('bytesTransmitted', init.bytesTransmitted);
  if (!Number.isFinite(init.durationSeconds) || init.durationSeconds < 0) {
    issues.push({ path: 'durationSeconds', message: 'must be a number ≥ 0' });
  }
  if (!CHECKSUM.test(init.checksum) && !(init.checksum === '' && init.bytesTransmitted === 0 && !init.success)) {
    issues.push({
      path: 'checksum',
      message: "must be a lower-case hex SHA-256 (64 characters), or '' for a failed delivery that sent nothing",
    });
  }
  if (!ISO_UTC.test(init.deliveryTimestamp) || Number.isNaN(Date.parse(init.deliveryTimestamp))) {
    issues.push({ path: 'deliveryTimestamp', message: 'must be an ISO-8601 UTC timestamp ending in Z' });
  }
  if (typeof init.idempotencyKey !== 'string' || init.idempotencyKey === '') {
    issues.push({ path: 'idempotencyKey', message: 'must be a non-empty string' });
  }
  if (!init.success && (init.errors ?? []).length === 0) {
    issues.push({ path: 'errors', message: 'a failed delivery must say why: give at least one error' });
  }
  (init.destinationRecordIds ?? []).forEach((id, index) => {
    if (typeof id !== 'string') issues.push({ path: `destinationRecordIds[${index}]`, message: 'must be a string' });
  });
  return issues;
}
