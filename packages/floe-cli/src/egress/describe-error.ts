import { isFloeError } from '@floe/core';

/** An error's category (`TRANSIENT`, `PERMANENT`, `PARTIAL`, `CONFIGURATION`) when it carries one. */
export function errorCategory(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const category = (error as { category?: unknown }).category;
  return typeof category === 'string' ? category : undefined;
}

/** An error's stable code when it carries one (`SECRET_NOT_FOUND`, `ECONNREFUSED`…). */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * One readable line (or a few) for an error: its message, plus its cause's message when that adds
 * something. Not yet redacted: everything printed goes through the terminal's redactor.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const parts = [error.message || error.name];
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message && !error.message.includes(cause.message) && !isFloeError(error)) {
    parts.push(`(cause: ${cause.message})`);
  }
  return parts.join(' ');
}

/** A JSON-ready summary of an error: message, category, code, name. */
export function errorJson(error: unknown): Record<string, unknown> {
  const category = errorCategory(error);
  const code = errorCode(error);
  return {
    message: describeError(error),
    ...(error instanceof Error && { name: error.name }),
    ...(category !== undefined && { category }),
    ...(code !== undefined && { code }),
  };
}
