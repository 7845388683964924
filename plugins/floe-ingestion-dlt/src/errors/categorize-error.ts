import { ErrorCategory, isFloeError } from '@floe/core';
import { categorizeMysqlCode, categorizeMysqlErrno } from '../sinks/sql/dialects/mysql-errors.js';
import { categorizeSqlState, isSqlState } from '../sinks/sql/dialects/postgres-errors.js';
import { categorizeSqliteCode } from '../sinks/sql/dialects/sqlite-errors.js';

/** Socket, DNS and HTTP-client failure codes that are worth a retry. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'ERR_GOT_REQUEST_ERROR',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * What pg says, with no code, when its connection is gone: the socket closed before (or instead of) the
 * server's error message, as when the network drops it or the server's FATAL 57P01 is read second.
 */
const LOST_CONNECTION_MESSAGE =
  /^(Connection terminated( unexpectedly)?|Client has encountered a connection error and is not queryable)$/;

/** Error class names (got, cockatiel, undici, DOM) that mean "try again". */
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestError',
  'ReadError',
  'TaskCancelledError',
  'BrokenCircuitError',
  'AbortError',
]);

/**
 * The category of an HTTP status: 408/429/5xx TRANSIENT; 401/403 PERMANENT; 400/404/405/413/422 CONFIGURATION
 * (413 Payload Too Large: the batch size is the setting to change); any other 4xx PERMANENT; `undefined` for
 * non-errors.
 */
export function categorizeHttpStatus(status: number): ErrorCategory | undefined {
  if (status === 408 || status === 429 || (status >= 500 && status <= 599)) return ErrorCategory.TRANSIENT;
  if (status === 400 || status === 404 || status === 405 || status === 413 || status === 422)
    return ErrorCategory.CONFIGURATION;
  if (status >= 400 && status <= 499) return ErrorCategory.PERMANENT;
  return undefined;
}

/**
 * Whether an HTTP answer is "idempotency key in use": a 409 whose body names the idempotency key (Stripe's
 * `idempotency_key_in_use`, "Idempotency-Key is being processed"). Another request with the same key is in
 * flight — a concurrent attempt of the same batch — so it is TRANSIENT: retried once that request finished.
 * Any other 409 (a conflict of the data) keeps its category.
 */
export function isIdempotencyKeyInUse(status: number, body: string): boolean {
  return status === 409 && /idempoten/i.test(body);
}

/** The HTTP status an error carries (`httpStatus`, `status`, `statusCode`, got's `response.statusCode`). */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as Record<string, unknown>;
  const response = record.response as Record<string, unknown> | undefined;
  for (const value of [record.httpStatus, record.statusCode, record.status, response?.statusCode]) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599) return value;
  }
  return undefined;
}

/**
 * Translates any failure into TRANSIENT / PERMANENT / CONFIGURATION (dlt's terminal vs. transient):
 * floe errors keep their category; HTTP statuses (408/429/5xx transient, 401/403 permanent,
 * 400/404/405/413/422 configuration); PostgreSQL SQLSTATE classes (08/40/53/57 transient, 22/23 permanent,
 * 42 configuration); MySQL errno (1205/1213/2006/2013/1040… transient, 1062/1048/1264/1406/1366… permanent,
 * 1146/1054/1064 configuration); socket and HTTP-client errors (ECONNRESET, ECONNREFUSED, ETIMEDOUT, EPIPE,
 * EAI_AGAIN, UND_ERR_*, got's TimeoutError/RequestError, pg's code-less "Connection terminated unexpectedly")
 * transient. The `cause` chain is consulted when the error itself says nothing. Anything unknown is
 * PERMANENT: retrying what we do not understand risks duplicates.
 *
 * @example
 * ```ts
 * categorizeError({ code: '40P01' }); // 'TRANSIENT' (deadlock)
 * categorizeError(Object.assign(new Error('x'), { statusCode: 422 })); // 'CONFIGURATION'
 * ```
 */
export function categorizeError(error: unknown): ErrorCategory {
  return categorizeKnown(error, 0) ?? ErrorCategory.PERMANENT;
}

function categorizeKnown(error: unknown, depth: number): ErrorCategory | undefined {
  if (typeof error !== 'object' || error === null || depth > 5) return undefined;
  if (isFloeError(error)) return error.category;
  const status = httpStatusOf(error);
  if (status !== undefined) {
    const byStatus = categorizeHttpStatus(status);
    if (byStatus !== undefined) return byStatus;
  }
  const record = error as Record<string, unknown>;
  const code = typeof record.code === 'string' ? record.code : undefined;
  if (code !== undefined) {
    if (TRANSIENT_CODES.has(code) || code.startsWith('UND_ERR_') || code.startsWith('ERR_GOT_')) {
      return ErrorCategory.TRANSIENT;
    }
    const byCode = isSqlState(code)
      ? categorizeSqlState(code)
      : (categorizeSqliteCode(code) ?? categorizeMysqlCode(code));
    if (byCode !== undefined) return byCode;
  }
  if (typeof record.errno === 'number' && record.errno > 0) {
    const byErrno = categorizeMysqlErrno(record.errno);
    if (byErrno !== undefined) return byErrno;
  }
  if (typeof record.sqlState === 'string') {
    const bySqlState = categorizeSqlState(record.sqlState);
    if (bySqlState !== undefined) return bySqlState;
  }
  if (typeof record.name === 'string' && TRANSIENT_NAMES.has(record.name)) return ErrorCategory.TRANSIENT;
  if (code === undefined && typeof record.message === 'string' && LOST_CONNECTION_MESSAGE.test(record.message)) {
    return ErrorCategory.TRANSIENT;
  }
  // cockatiel's timeout / open-circuit errors carry flags rather than names
  if (record.isTaskCancelledError === true || record.isBrokenCircuitError === true) return ErrorCategory.TRANSIENT;
  return categorizeKnown(record.cause, depth + 1);
}
