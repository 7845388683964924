import {
  civilFromDays,
  formatSecondOfDay,
  isoDate,
  type CivilDate,
} from '../../../internal/arrow-values/civil-date.js';
import type { SplitTime } from '../../../internal/arrow-values/split-epoch.js';

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `HH:MM:SS`, then `.ffffff` (or `.fffffffff` when nanoseconds are left) unless the fraction is zero. */
export function clockText(micros: number, nanos: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = micros - seconds * 1_000_000;
  const clock = formatSecondOfDay(seconds);
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
