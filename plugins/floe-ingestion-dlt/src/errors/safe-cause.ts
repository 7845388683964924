import { sanitizeErrorMessage } from './sanitize-error-message.js';

/**
 * A copy of an error that is safe to keep as `cause`: name, code, errno, sanitised message and stack.
 * HTTP-client errors carry the request options (headers with credentials): never keep those.
 */
export function safeCause(error: unknown, secrets: readonly unknown[] = []): Error {
  if (typeof error !== 'object' || error === null) return new Error(sanitizeErrorMessage(String(error), secrets));
  const record = error as Record<string, unknown>;
  const copy = new Error(sanitizeErrorMessage(record.message ?? String(error), secrets));
  copy.name = typeof record.name === 'string' ? record.name : 'Error';
  copy.stack = sanitizeErrorMessage(typeof record.stack === 'string' ? record.stack : copy.stack, secrets);
  for (const key of ['code', 'errno', 'sqlState', 'statusCode', 'httpStatus'] as const) {
    const value = record[key];
    if (typeof value === 'string' || typeof value === 'number')
      Object.defineProperty(copy, key, { value, enumerable: true });
  }
  return copy;
}
