/** Formatting of dates, times and timestamps without `Date` (exact to the nanosecond, any year). */

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : String(n)));

function pad2(n: number): string {
  return PAD2[n] as string;
}

function padFraction(n: number, digits: number): string {
  const text = String(n);
  return text.length >= digits ? text : '0'.repeat(digits - text.length) + text;
}

function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, '0');
  return (year < 0 ? '-' : '+') + String(Math.abs(year)).padStart(6, '0');
}

/** `YYYY-MM-DD` of a day count since 1970-01-01 (proleptic Gregorian; ±YYYYYY outside 0000–9999). */
export function formatDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${formatYear(year)}-${pad2(month)}-${pad2(day)}`;
}

/** `HH:MM:SS` of a second within the day (0–86399). */
export function formatSecondOfDay(second: number): string {
  const hours = Math.floor(second / 3600);
  const minutes = Math.floor((second % 3600) / 60);
  return `${pad2(hours)}:${pad2(minutes)}:${pad2(second % 60)}`;
}

/** Digits of the fraction of a second per Arrow time unit (s, ms, µs, ns). */
export const FRACTION_DIGITS: readonly number[] = [0, 3, 6, 9];
/** Units per second per Arrow time unit. */
export const UNITS_PER_SECOND: readonly number[] = [1, 1_000, 1_000_000, 1_000_000_000];

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

/** Splits a count of `unit`s since the epoch (number or bigint) into whole seconds and fraction (fraction ≥ 0). */
export function splitEpoch(value: number | bigint, unit: number): [number, number] {
  const perSecond = UNITS_PER_SECOND[unit] ?? 1;
  if (typeof value === 'number') {
    let seconds = Math.floor(value / perSecond);
    let fraction = value - seconds * perSecond;
    // A rounded quotient can land one second off near 2^53 nanoseconds: correct it exactly.
    if (fraction < 0) {
      seconds -= 1;
      fraction += perSecond;
    } else if (fraction >= perSecond) {
      seconds += 1;
      fraction -= perSecond;
    }
    return [seconds, fraction];
  }
  const per = BigInt(perSecond);
  let seconds = value / per;
  let fraction = value % per;
  if (fraction < 0n) {
    seconds -= 1n;
    fraction += per;
  }
  return [Number(seconds), Number(fraction)];
}

/** `HH:MM:SS[.f…]` of a time of day given in `unit`s since midnight. */
export function formatTimeOfDay(value: number | bigint, unit: number): string {
  const [seconds, fraction] = splitEpoch(value, unit);
  return `${formatSecondOfDay(((seconds % 86400) + 86400) % 86400)}${formatFraction(fraction, unit)}`;
}
