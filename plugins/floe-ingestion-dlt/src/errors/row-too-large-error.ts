/**
 * A row whose encoded form alone is larger than the destination accepts in one statement or request (MySQL's
 * `max_allowed_packet`, a REST `max_body_bytes`): it can never be written, so it is rejected as that row
 * (PERMANENT) instead of failing its batch. The message names the row's size and the limit.
 */
export class RowTooLargeError extends Error {
  override readonly name = 'RowTooLargeError';
  readonly code = 'ROW_TOO_LARGE';
  readonly bytes: number;
  readonly limit: number;

  constructor(bytes: number, limit: number, limitName: string) {
    super(
      `row is ${bytes.toLocaleString('en-US')} bytes encoded, above the destination's ${limitName} of ${limit.toLocaleString('en-US')} bytes`,
    );
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** True for a {@link RowTooLargeError} (also from another copy of this package). */
export function isRowTooLargeError(error: unknown): error is RowTooLargeError {
  return error instanceof Error && (error as { code?: unknown }).code === 'ROW_TOO_LARGE';
}
