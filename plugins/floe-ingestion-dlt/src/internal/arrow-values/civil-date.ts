/** Calendar dates from day counts, without `Date` (proleptic Gregorian, any year). */

/** A calendar date (proleptic Gregorian, astronomical year: 0 = 1 BC). */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** `00`…`99`: two-digit fields without `padStart`. */
const PAD2: readonly string[] = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : String(n)));

/** `n` (0–99) as two digits. */
export function pad2(n: number): string {
  return PAD2[n] as string;
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

/** `YYYY-MM-DD`; years outside 0..9999 as ISO 8601 expanded years (`+010000`, `-000044`). */
export function isoDate(date: CivilDate): string {
  const { year } = date;
  const y =
    year >= 0 && year <= 9999
      ? String(year).padStart(4, '0')
      : `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
  return `${y}-${pad2(date.month)}-${pad2(date.day)}`;
}

const scratch: CivilDate = { year: 0, month: 0, day: 0 };

/** `YYYY-MM-DD` of a day count since 1970-01-01 (see {@link isoDate}). */
export function formatDays(days: number): string {
  return isoDate(civilFromDays(days, scratch));
}

/** `HH:MM:SS` of a second within the day (0–86399). */
export function formatSecondOfDay(second: number): string {
  const hours = Math.floor(second / 3600);
  const minutes = Math.floor((second % 3600) / 60);
  return `${pad2(hours)}:${pad2(minutes)}:${pad2(second % 60)}`;
}
