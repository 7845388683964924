import { toJsonSafe } from './terminal.js';

/** Longest cell shown; longer values are cut with `…`. */
export const MAX_CELL_WIDTH = 32;

/** One cell as text: `NULL` for null/undefined, JSON for objects and lists. */
export function cellText(value: unknown, cut = true): string {
  const safe = toJsonSafe(value);
  if (safe === null || safe === undefined) return 'NULL';
  const text = typeof safe === 'object' ? JSON.stringify(safe) : String(safe);
  const flat = text.replace(/\s+/g, ' ');
  return cut && flat.length > MAX_CELL_WIDTH ? `${flat.slice(0, MAX_CELL_WIDTH - 1)}…` : flat;
}

/**
 * Rows as an aligned text table, columns in `columns` order (default: keys of the first row). Cells are cut
 * at {@link MAX_CELL_WIDTH} characters, except in the `uncut` columns (ids someone copies).
 *
 * @example
 * ```ts
 * formatTable([{ id: 1, name: 'a' }]);
 * // id | name
 * // ---+-----
 * // 1  | a
 * ```
 */
export function formatTable(
  rows: readonly Record<string, unknown>[],
  columns?: readonly string[],
  maxWidth = Infinity,
  options: { readonly uncut?: readonly string[] } = {},
): string[] {
  const all = columns ?? Object.keys(rows[0] ?? {});
  if (all.length === 0) return ['(no columns)'];
  const allCells = rows.map((row) => all.map((name) => cellText(row[name], !options.uncut?.includes(name))));
  const allWidths = all.map((name, i) => Math.max(name.length, ...allCells.map((line) => (line[i] ?? '').length)));
  // All columns when they fit in maxWidth; else the leading ones that fit beside a ` | …` marker.
  const total = allWidths.reduce((sum, width) => sum + width, 0) + 3 * (all.length - 1);
  let shown = all.length;
  if (total > maxWidth) {
    shown = 1;
    let used = allWidths[0] ?? 0;
    while (shown < all.length && used + 3 + (allWidths[shown] ?? 0) + 4 <= maxWidth) {
      used += 3 + (allWidths[shown] ?? 0);
      shown += 1;
    }
  }
  const names = all.slice(0, shown);
  const widths = allWidths.slice(0, shown);
  const more = all.length - shown;
  const pad = (parts: readonly string[]) =>
    `${parts.map((part, i) => part.padEnd(widths[i] ?? 0)).join(' | ')}${more > 0 ? ' | …' : ''}`.trimEnd();
  const rule = `${widths.map((width) => '-'.repeat(width)).join('-+-')}${more > 0 ? '-+--' : ''}`;
  const lines = [pad(names), rule, ...allCells.map((line) => pad(line.slice(0, shown)))];
  if (more > 0) lines.push(`(${more} more column${more === 1 ? '' : 's'}: ${all.slice(shown).join(', ')})`);
  return lines;
}
