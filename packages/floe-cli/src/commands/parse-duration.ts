import { InvalidArgumentError } from 'commander';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * A duration option (`--wait-lock 30s`): a whole number with a unit `ms`, `s`, `m` or `h` (a bare number is
 * seconds), in milliseconds.
 *
 * @example
 * ```ts
 * parseDuration('2m'); // 120000
 * ```
 */
export function parseDuration(value: string): number {
  const match = /^\s*(\d+)\s*(ms|s|m|h)?\s*$/i.exec(value);
  if (match === null) throw new InvalidArgumentError(`expected a duration such as 30s, 2m or 500ms, got "${value}"`);
  return Number(match[1]) * (UNITS[(match[2] ?? 's').toLowerCase()] ?? 1_000);
}
