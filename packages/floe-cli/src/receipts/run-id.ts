import { randomBytes } from 'node:crypto';

/**
 * A run id that sorts by start time: `20250102T030405Z-1a2b3c`.
 *
 * @example
 * ```ts
 * newRunId(new Date('2025-01-02T03:04:05Z')); // '20250102T030405Z-…'
 * ```
 */
export function newRunId(now: Date = new Date(), random: () => string = () => randomBytes(3).toString('hex')): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `${stamp}-${random()}`;
}
