/** JSON's text of times and timestamps without `Date` (exact to the nanosecond, any year). */
import { formatDays, formatSecondOfDay } from '../../internal/arrow-values/civil-date.js';
import { epochSeconds } from '../../internal/arrow-values/split-epoch.js';

function padFraction(n: number, digits: number): string {
  const text = String(n);
  return text.length >= digits ? text : '0'.repeat(digits - text.length) + text;
}

/** Digits of the fraction of a second per Arrow time unit (s, ms, µs, ns). */
export const FRACTION_DIGITS: readonly number[] = [0, 3, 6, 9];

/** `.fff`, `.ffffff` or `.fffffffff` (fixed width per unit), or `''` for seconds. */
export function formatFraction(fraction: number, unit: number): string {
  const digits = FRACTION_DIGITS[unit] ?? 0;
  return digits === 0 ? '' : `.${padFraction(fraction, digits)}`;
}

/**
 * A timestamp from whole seconds since the epoch and the sub-second fraction in `unit`s:
 * `YYYY-MM-DDTHH:MM:SS[.f…]` plus `Z` when `utc`. Keeps a one-entry day cache (rows of a batch share days).
 */
export class TimestampFormatter {
  private lastDay = Number.NaN;
  private lastDayText = '';

  constructor(
    private readonly unit: number,
    private readonly utc: boolean,
  ) {}

  format(seconds: number, fraction: number): string {
    const day = Math.floor(seconds / 86400);
    if (day !== this.lastDay) {
      this.lastDay = day;
      this.lastDayText = formatDays(day);
    }
    const time = formatSecondOfDay(seconds - day * 86400);
    return `${this.lastDayText}T${time}${formatFraction(fraction, this.unit)}${this.utc ? 'Z' : ''}`;
  }
}

/** `HH:MM:SS[.f…]` of a time of day given in `unit`s since midnight. */
export function formatTimeOfDay(value: number | bigint, unit: number): string {
  const [seconds, fraction] = epochSeconds(value, unit);
  return `${formatSecondOfDay(((seconds % 86400) + 86400) % 86400)}${formatFraction(fraction, unit)}`;
}
