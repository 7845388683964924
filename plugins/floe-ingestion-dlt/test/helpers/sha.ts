import { createHash } from 'node:crypto';

/** Hex SHA-256 of the concatenation of `chunks`. */
export function sha256Of(chunks: readonly (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

/** Resolves after `ms`. */
export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A recording function (jest.fn is not a global in ESM mode). */
export function spy<A extends unknown[] = unknown[], R = undefined>(
  impl?: (...args: A) => R,
): ((...args: A) => R) & { calls: A[] } {
  const calls: A[] = [];
  const fn = (...args: A): R => {
    calls.push(args);
    return impl ? impl(...args) : (undefined as R);
  };
  return Object.assign(fn, { calls });
}
