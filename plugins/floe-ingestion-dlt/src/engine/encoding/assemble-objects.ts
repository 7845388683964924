import { fillTexts } from './fill-texts.js';
import type { IsNull } from '../../internal/arrow-values/validity.js';

/** `{"a":…,"b":…}` per row from column texts; `'null'` where `isNull`. */
export function assembleObjects(
  names: readonly string[],
  columns: readonly string[][],
  n: number,
  isNull: IsNull,
): string[] {
  const prefixes = names.map((name, j) => (j === 0 ? '{' : ',') + JSON.stringify(name) + ':');
  const width = columns.length;
  if (width === 0) return fillTexts(n, isNull, () => '{}');
  return fillTexts(n, isNull, (i) => {
    let text = '';
    for (let j = 0; j < width; j += 1) text += (prefixes[j] as string) + ((columns[j] as string[])[i] as string);
    return `${text}}`;
  });
}
