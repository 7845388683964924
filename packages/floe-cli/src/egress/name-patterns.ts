/** `--destination` values split on commas (`-d crm,dw -d 'mart_*'` → `crm`, `dw`, `mart_*`), blanks dropped. */
export function splitNames(values: readonly string[] | string | undefined): string[] {
  if (values === undefined) return [];
  return (typeof values === 'string' ? [values] : values)
    .flatMap((value) => value.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** True when `pattern` has glob characters (`*`, `?`). */
export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/**
 * True when `name` matches `pattern`: the name itself, or a glob where `*` is any run of characters and
 * `?` one character.
 *
 * @example
 * ```ts
 * matchesName('mart_eu', 'mart_*'); // true
 * ```
 */
export function matchesName(name: string, pattern: string): boolean {
  if (!isGlob(pattern)) return name === pattern;
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(name);
}
