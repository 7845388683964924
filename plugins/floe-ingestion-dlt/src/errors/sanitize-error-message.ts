import { redactNeedles, secretForms } from '@floe/core';

/** Secret values registered by sinks, reference-counted so two sinks may share one. */
const registered = new Map<string, number>();

/**
 * Registered values shorter than this are not redacted by value: a secret `rows` or `status` would rewrite
 * ordinary words (the CLI uses the same bound). Patterns still apply.
 */
export const MIN_SECRET_LENGTH = 8;

const REDACTED = '[redacted]';

const SECRET_KEYS =
  'password|passwd|pwd|secret|client_secret|token|access_token|refresh_token|id_token|api_key|apikey|api-key|x-api-key|private_key|auth_token|session_token';

const PATTERNS: readonly (readonly [RegExp, string])[] = [
  // scheme://user:pass@host → scheme://[redacted]@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, `$1${REDACTED}@`],
  // Authorization / Proxy-Authorization header values, to the end of the line or quote
  [/\b((?:proxy-)?authorization)(["']?\s*[:=]\s*["']?)[^\r\n"']*/gi, `$1$2${REDACTED}`],
  // Bearer / Basic credentials anywhere
  [/\b(bearer)\s+[A-Za-z0-9._~+/=-]{4,}/gi, `$1 ${REDACTED}`],
  // (a base64 credential has a capital, digit, + or /: "Basic authentication failed" stays readable)
  [/\b([Bb]asic|BASIC)\s+(?=[A-Za-z0-9+/]*[A-Z0-9+/])[A-Za-z0-9+/]{8,}={0,2}/g, `$1 ${REDACTED}`],
];

/**
 * key=value, key: value, "key":"value" for secret-looking keys (the value's quotes are kept). MySQL's and
 * MariaDB's "Access denied … (using password: YES)" says whether a password was sent, not which: kept.
 */
const KEY_VALUE = new RegExp(
  `(["']?)\\b(${SECRET_KEYS})\\1(\\s*[=:]\\s*)(?!(?:YES|NO)\\))(?:"[^"]*"|'[^']*'|[^\\s&;,'"}\\]]+)`,
  'gi',
);

function redactKeyValue(match: string, quote: string, key: string, separator: string): string {
  const value = match.slice(quote.length * 2 + key.length + separator.length);
  const around = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
  return `${quote}${key}${quote}${separator}${around}${REDACTED}${around}`;
}

/**
 * Remembers a secret value so that {@link sanitizeErrorMessage} redacts it wherever it appears.
 * Returns a function that forgets it again (values are reference-counted).
 *
 * @example
 * ```ts
 * const forget = registerSecret(config.token);
 * try { await send(); } finally { forget(); }
 * ```
 */
export function registerSecret(value: unknown): () => void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return () => {};
  registered.set(value, (registered.get(value) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const count = (registered.get(value) ?? 1) - 1;
    if (count <= 0) registered.delete(value);
    else registered.set(value, count);
  };
}

/**
 * Removes credentials from a message: URL user-info, `password=…`/`token: …`/`"api_key":"…"`-style pairs,
 * bearer/basic tokens, `Authorization` header values, and every registered secret value
 * (see {@link registerSecret}) plus the `secrets` given here.
 *
 * @example
 * ```ts
 * sanitizeErrorMessage('connect postgres://app:s3cret@db/x failed'); // 'connect postgres://[redacted]@db/x failed'
 * ```
 */
export function sanitizeErrorMessage(message: unknown, secrets: readonly unknown[] = []): string {
  const values = [...registered.keys()];
  for (const secret of secrets) {
    if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) values.push(secret);
  }
  const needles = values.flatMap((value) => secretForms(value, MIN_SECRET_LENGTH));
  let text = redactNeedles(typeof message === 'string' ? message : String(message), needles, REDACTED);
  for (const [pattern, replacement] of PATTERNS) text = text.replace(pattern, replacement);
  return text.replace(KEY_VALUE, redactKeyValue);
}
