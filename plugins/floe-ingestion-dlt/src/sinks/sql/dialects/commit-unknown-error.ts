/**
 * A COMMIT failed and the database cannot tell whether it took effect (the connection died while
 * committing). Retrying could write the rows twice, so this is never retried for non-idempotent writes.
 */
export class CommitUnknownError extends Error {
  override readonly cause: unknown;

  constructor(cause: unknown) {
    super(
      'the connection was lost during COMMIT and the outcome cannot be determined; not retried, to avoid duplicate rows',
    );
    this.name = 'CommitUnknownError';
    this.cause = cause;
  }
}
