import { redactNeedles, secretForms } from '@floe/core';

/** What replaces a secret value in any output. */
export const REDACTED = '***';

/**
 * Values shorter than this are not searched for on their own: a secret `rows` or `status` would rewrite
 * ordinary words. Their known forms (a URL's `user:password@`, a Basic credential) are still redacted.
 */
export const MIN_REDACTED_LENGTH = 8;

/** What a {@link Redactor} needs: where to say, once per secret key, that a value is too short to search for. */
export interface RedactorOptions {
  readonly warn?: (message: string) => void;
}

/** `scheme://user:password@`: the password is masked wherever such a URL is printed, registered or not. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s/@]+@/gi;

/**
 * Removes known secret values from text before it leaves the process (stdout, stderr, receipts,
 * span attributes). Each value is also matched in its URL-encoded and JSON-escaped forms, and the
 * password inside a URL-shaped value is registered on its own (with its `user:password@`). JSON keys are
 * never rewritten: a secret is redacted where it occurs as a value.
 *
 * @example
 * ```ts
 * const redactor = new Redactor();
 * redactor.add('postgres://app:s3cret-pw@db:5432/crm');
 * redactor.redact('connect failed: password s3cret-pw rejected'); // 'connect failed: password *** rejected'
 * ```
 */
export class Redactor {
  readonly #needles = new Set<string>();
  readonly #warned = new Set<string>();
  readonly #warn: ((message: string) => void) | undefined;
  #sorted: string[] = [];

  constructor(options: RedactorOptions = {}) {
    this.#warn = options.warn;
  }

  /** Registers a secret value (and its derived forms). */
  add(value: string): void {
    for (const form of secretForms(value, MIN_REDACTED_LENGTH)) this.#needles.add(form);
    this.#sorted = [...this.#needles];
  }

  /**
   * Registers every value of a record; `secret` names it (`crm-api`) so that a value too short to search
   * for is reported once, by secret and key, never by value.
   */
  addAll(values: Readonly<Record<string, string>>, secret?: string): void {
    for (const [key, value] of Object.entries(values)) {
      this.add(value);
      const id = `${secret ?? ''}\u0000${key}`;
      if (secret !== undefined && value.length > 0 && value.length < MIN_REDACTED_LENGTH && !this.#warned.has(id)) {
        this.#warned.add(id);
        this.#warn?.(
          `connection secret "${secret}" key "${key}" is shorter than ${MIN_REDACTED_LENGTH} characters: ` +
            'it is not searched for in output (only as a URL password or Basic credential); use a longer secret',
        );
      }
    }
  }

  /** True when at least one secret is registered. */
  get size(): number {
    return this.#needles.size;
  }

  /** `text` with every registered value replaced by {@link REDACTED}. */
  redact(text: string): string {
    return redactNeedles(text, this.#sorted, REDACTED).replace(URL_PASSWORD, `$1${REDACTED}@`);
  }

  /** JSON text with every registered value redacted in its values, never in its keys. */
  redactJson(text: string): string {
    // A linear scan, not a regular expression: a 50 MB string value must not exhaust the regex engine's stack.
    let out = '';
    let last = 0;
    for (const [start, end] of jsonKeys(text)) {
      out += this.redact(text.slice(last, start)) + text.slice(start, end);
      last = end;
    }
    return out + this.redact(text.slice(last));
  }

  /** A deep copy of a JSON-like value with every string value redacted (keys are kept). */
  redactValue<T>(value: T): T {
    return this.#walk(value) as T;
  }

  #walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((item) => this.#walk(item));
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.#walk(item)]));
    }
    return value;
  }
}

/** `[start, end)` of every object key's string token (`"rows"` followed by `:`) in JSON text, in order. */
function* jsonKeys(text: string): Generator<readonly [number, number]> {
  let i = text.indexOf('"');
  while (i !== -1) {
    let j = i + 1;
    for (;;) {
      const quote = text.indexOf('"', j);
      if (quote === -1) return;
      let backslashes = 0;
      while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes += 1;
      j = quote + 1;
      if (backslashes % 2 === 0) break;
    }
    let k = j;
    while (k < text.length && (text[k] === ' ' || text[k] === '\n' || text[k] === '\t' || text[k] === '\r')) k += 1;
    if (text[k] === ':') yield [i, j] as const;
    i = text.indexOf('"', j);
  }
}
