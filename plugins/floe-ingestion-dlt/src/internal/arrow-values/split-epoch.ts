/** Time resolution of an Arrow timestamp or time: 0 s, 1 ms, 2 µs, 3 ns (Arrow's `TimeUnit`). */
export type TimeUnitCode = 0 | 1 | 2 | 3;

/** Units per second for each Arrow time unit (s, ms, µs, ns). */
export const UNITS_PER_SECOND = [1, 1_000, 1_000_000, 1_000_000_000] as const;

/**
 * Splits a count of `unit`s since the epoch (number or bigint) into whole seconds and the fraction in `unit`s
 * (fraction ≥ 0), exactly.
 *
 * @example
 * ```ts
 * epochSeconds(-1n, 3); // [-1, 999_999_999]
 * ```
 */
export function epochSeconds(value: number | bigint, unit: number): [number, number] {
  const perSecond = UNITS_PER_SECOND[unit as TimeUnitCode] ?? 1;
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

/** A timestamp split into whole days since the epoch, microseconds into the day and leftover nanoseconds. */
export interface SplitTime {
  days: number;
  micros: number;
  nanos: number;
}

const SPLIT_PER_DAY = [86_400, 86_400_000, 86_400_000_000, 86_400_000_000_000] as const;
const SPLIT_PER_DAY_BIG = SPLIT_PER_DAY.map(BigInt);

/**
 * Splits an epoch value in `unit` into days, microseconds and nanoseconds, exactly (numbers up to 2^53,
 * bigints beyond), into `out` (reused: no object per value). Never through a JS `Date`.
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
  return splitMicros(rem, unit, out);
}

/** Splits a time-of-day value in `unit` (Arrow time32/time64) into microseconds and leftover nanoseconds. */
export function splitTimeOfDay(value: number | bigint, unit: TimeUnitCode, out: SplitTime): SplitTime {
  out.days = 0;
  return splitMicros(Number(value), unit, out);
}

function splitMicros(value: number, unit: TimeUnitCode, out: SplitTime): SplitTime {
  if (unit === 3) {
    out.micros = Math.floor(value / 1000);
    out.nanos = value - out.micros * 1000;
  } else {
    out.micros = value * (1_000_000 / UNITS_PER_SECOND[unit]);
    out.nanos = 0;
  }
  return out;
}
