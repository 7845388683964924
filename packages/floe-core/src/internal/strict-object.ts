import { z } from 'zod';

/** Marks the message of an `unrecognized_keys` issue raised by {@link strictObject}. */
export const ALLOWED_KEYS_PREFIX = 'allowed keys: ';

/**
 * `z.strictObject` whose unknown-key issue lists the keys that are allowed, so the message can
 * say `unknown key "passwrd" (allowed keys: name, sink_type, …)`.
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `${ALLOWED_KEYS_PREFIX}${allowed}` : undefined),
  });
}
