import type { TimeUnitCode } from '../column-kind.js';

/** Units per second for each Arrow time unit. */
export const UNITS_PER_SECOND = [1, 1_000, 1_000_000, 1_000_000_000] as const;

/** A calendar date (proleptic Gregorian, astronomical year: 0 = 1 BC). */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The calendar date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`), written into `out`. */
export function civilFromDays(days: number, out: CivilDate): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  out.year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  out.month = month;
  out.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  return out;
}

/** A timestamp split into whole days since the epoch, microseconds into the day and leftover nanoseconds. */
export interface SplitTime {
  days: number;
  micros: number;
  nanos: number;
}

const SPLIT_PER_DAY = [86_400, 86_400_000, 86_400_000_000, 86_400_000_000_000] as const;
const SPLIT_PER_DAY_BIG = SPLIT_PER_DAY.map(BigInt);

/**
 * Splits an epoch value in `unit` exactly (numbers up to 2^53, bigints beyond): never through a JS `Date`.
 */
export function splitEpoch(value: number | bigint, unit: TimeUnitCode, out: SplitTime): SplitTime {
  const perDay = SPLIT_PER_DAY[unit];
  let rem: number;
  if (typeof value === 'number') {
    out.days = Math.floor(value / perDay);
    rem = value - out.days * perDay;
  } else {
    const big = SPLIT_PER_DAY_BIG[unit] as bigint;
    let days = value / big;
    let r = value - days * big;
    if (r < 0n) {
      days -= 1n;
      r += big;
    }
    out.days = Number(days);
    rem = Number(r);
  }
  if (unit === 3) {
    out.micros = Math.floor(rem / 1000);
    out.nanos = rem - out.micros * 1000;
  } else {
    out.micros = rem * (1_000_000 / UNITS_PER_SECOND[unit]);
    out.nanos = 0;
  }
  return out;
}

/** Splits a time-of-day value in `unit` (Arrow time32/time64) into microseconds and leftover nanoseconds. */
export function splitTimeOfDay(value: number | bigint, unit: TimeUnitCode, out: SplitTime): SplitTime {
  out.days = 0;
  const v = Number(value);
  if (unit === 3) {
    out.micros = Math.floor(v / 1000);
    out.nanos = v - out.micros * 1000;
  } else {
    out.micros = v * (1_000_000 / UNITS_PER_SECOND[unit]);
    out.nanos = 0;
  }
  return out;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `YYYY-MM-DD`; years outside 0..9999 as ISO 8601 expanded years (`+010000`, `-000044`). */
export function isoDate(date: CivilDate): string {
  const { year } = date;
  const y = year >= 0 && year <= 9999 ? pad(year, 4) : `${year < 0 ? '-' : '+'}${pad(Math.abs(year), 6)}`;
  return `${y}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** `HH:MM:SS`, then `.ffffff` (or `.fffffffff` when nanoseconds are left) unless the fraction is zero. */
export function clockText(micros: number, nanos: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  const clock = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  if (nanos !== 0) return `${clock}.${pad(fraction, 6)}${pad(nanos, 3)}`;
  return fraction === 0 ? clock : `${clock}.${pad(fraction, 6)}`;
}

/** How timestamps are written as text. */
export type TimestampStyle = 'iso' | 'sql';

const scratchDate: CivilDate = { year: 0, month: 0, day: 0 };

/**
 * A timestamp as text: `iso` → `2024-05-01T12:30:00.123456Z` (no `Z` without a zone); `sql` →
 * `2024-05-01 12:30:00.123456` (UTC when the column has a zone).
 */
export function timestampText(split: SplitTime, zoned: boolean, style: TimestampStyle): string {
  const date = isoDate(civilFromDays(split.days, scratchDate));
  const clock = clockText(split.micros, split.nanos);
  return style === 'iso' ? `${date}T${clock}${zoned ? 'Z' : ''}` : `${date} ${clock}`;
}
