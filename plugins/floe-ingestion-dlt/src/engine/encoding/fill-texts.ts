import type { IsNull } from '../../internal/arrow-values/validity.js';

/** Fills `n` cells: `'null'` where the row is null, else `cell(i)`. */
export function fillTexts(n: number, isNull: IsNull, cell: (i: number) => string): string[] {
  const out = new Array<string>(n);
  if (isNull === undefined) {
    for (let i = 0; i < n; i += 1) out[i] = cell(i);
  } else {
    for (let i = 0; i < n; i += 1) out[i] = isNull(i) ? 'null' : cell(i);
  }
  return out;
}
