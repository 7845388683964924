/**
 * A decimal number's text (`-123.4500`) in PostgreSQL's binary `numeric` format, as 16-bit words:
 * `[ndigits, weight, sign, dscale, ...base-10000 digits]` (exact: digits are regrouped, never computed).
 *
 * @example
 * ```ts
 * postgresNumeric('12345.60'); // [3, 1, 0, 2, 1, 2345, 6000]
 * ```
 */
export function postgresNumeric(text: string): number[] {
  const negative = text.startsWith('-');
  const unsigned = negative ? text.slice(1) : text;
  const point = unsigned.indexOf('.');
  const integer = point === -1 ? unsigned : unsigned.slice(0, point);
  const fraction = point === -1 ? '' : unsigned.slice(point + 1);
  const integerDigits = integer.padStart(Math.ceil(integer.length / 4) * 4, '0');
  const fractionDigits = fraction.padEnd(Math.ceil(fraction.length / 4) * 4, '0');
  const all = integerDigits + fractionDigits;
  const groups: number[] = [];
  for (let k = 0; k < all.length; k += 4) groups.push(Number(all.slice(k, k + 4)));
  let weight = integerDigits.length / 4 - 1;
  let first = 0;
  while (first < groups.length && groups[first] === 0) {
    first++;
    weight--;
  }
  let last = groups.length;
  while (last > first && groups[last - 1] === 0) last--;
  const digits = groups.slice(first, last);
  if (digits.length === 0) return [0, 0, 0, fraction.length];
  return [digits.length, weight, negative ? 0x4000 : 0, fraction.length, ...digits];
}
