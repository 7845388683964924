import { redactNeedles, secretForms } from '@floe/core';

/** What replaces a secret value in any output. */
export const REDACTED = '***';

/** Values shorter than this are not searched for (they would mangle ordinary text). */
export const MIN_REDACTED_LENGTH = 3;

/**
 * Removes known secret values from text before it leaves the process (stdout, stderr, receipts,
 * span attributes). Each value is also matched in its URL-encoded and JSON-escaped forms, and the
 * password inside a URL-shaped value is registered on its own.
 *
 * @example
 * ```ts
 * const redactor = new Redactor();
 * redactor.add('postgres://app:s3cret@db:5432/crm');
 * redactor.redact('connect failed: password s3cret rejected'); // 'connect failed: password *** rejected'
 * ```
 */
export class Redactor {
  readonly #needles = new Set<string>();
  #sorted: string[] = [];

  /** Registers a secret value (and its derived forms). */
  add(value: string): void {
    for (const form of secretForms(value, MIN_REDACTED_LENGTH)) this.#needles.add(form);
    this.#sorted = [...this.#needles];
  }

  /** Registers every value of a record. */
  addAll(values: Readonly<Record<string, string>>): void {
    for (const value of Object.values(values)) this.add(value);
  }

  /** True when at least one secret is registered. */
  get size(): number {
    return this.#needles.size;
  }

  /** `text` with every registered value replaced by {@link REDACTED}. */
  redact(text: string): string {
    return redactNeedles(text, this.#sorted, REDACTED);
  }

  /** A deep copy of a JSON-like value with every string redacted (keys included). */
  redactValue<T>(value: T): T {
    return this.#walk(value) as T;
  }

  #walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((item) => this.#walk(item));
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.redact(key), this.#walk(item)]));
    }
    return value;
  }
}
