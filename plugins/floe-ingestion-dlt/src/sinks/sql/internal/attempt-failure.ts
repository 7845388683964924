/**
 * A failed write attempt: the driver's error plus, when the database said which row failed (a COPY line, a
 * MySQL "at row N", the SQLite row being inserted), the range of attempted rows to suspect (`[from, to)`,
 * positions within the attempt's rows).
 */
export class AttemptFailure extends Error {
  override readonly cause: unknown;
  readonly suspect: readonly [number, number] | undefined;

  constructor(cause: unknown, suspect?: readonly [number, number]) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'AttemptFailure';
    this.cause = cause;
    this.suspect = suspect;
  }
}

/** The driver error inside an {@link AttemptFailure}, or the error itself. */
export function driverError(error: unknown): unknown {
  return error instanceof AttemptFailure ? error.cause : error;
}
