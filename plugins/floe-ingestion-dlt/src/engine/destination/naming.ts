import type { NamingConvention } from './types.js';

/**
 * dlt's `snake_case` naming: splits camelCase and acronyms, lower-cases, turns every run of other
 * characters into one `_` (a leading `_` is kept, a trailing one dropped), and prefixes a leading digit with `_`. `customerID` → `customer_id`,
 * `Email Address` → `email_address`, `HTTPServer` → `http_server`.
 */
export function toSnakeCase(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/(?<=.)_$/, '')
    .toLowerCase();
  if (snake === '') return '_';
  return /^[0-9]/.test(snake) ? `_${snake}` : snake;
}

/** The destination-side name of a column under a naming convention. */
export function normalizeName(name: string, convention: NamingConvention): string {
  return convention === 'snake_case' ? toSnakeCase(name) : name;
}
