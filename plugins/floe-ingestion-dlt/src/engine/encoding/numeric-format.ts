/** True when the value fits `Number.MAX_SAFE_INTEGER`. */
export function isSafe(value: number | bigint): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** JSON text of a finite double, or the strings `"NaN"`, `"Infinity"`, `"-Infinity"` (JSON has no such numbers). */
export function doubleText(value: number): string {
  if (Number.isFinite(value)) return String(value);
  return Number.isNaN(value) ? '"NaN"' : value > 0 ? '"Infinity"' : '"-Infinity"';
}
