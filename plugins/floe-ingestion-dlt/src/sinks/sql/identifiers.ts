/** What a table, schema or column name must look like: letters, digits, underscore; not starting with a digit. */
export const SQL_IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Longest identifier accepted (PostgreSQL's limit; MySQL allows 64, SQLite more). */
export const MAX_IDENTIFIER_LENGTH = 63;

/** A table name, optionally qualified by a schema (PostgreSQL schema, MySQL database, SQLite attached database). */
export interface QualifiedName {
  readonly schema: string | undefined;
  readonly name: string;
}

/** Why `value` is not a valid identifier, or `undefined` when it is. */
export function identifierProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'must be a non-empty string';
  if (value.length > MAX_IDENTIFIER_LENGTH) return `"${value}" is longer than ${MAX_IDENTIFIER_LENGTH} characters`;
  if (!SQL_IDENTIFIER_PATTERN.test(value)) {
    return `"${value}" must match ${SQL_IDENTIFIER_PATTERN.source} (letters, digits, underscore; not starting with a digit)`;
  }
  return undefined;
}

/**
 * Splits `table` or `db_schema.table` into its parts; `undefined` when either part is not a valid identifier.
 *
 * @example
 * ```ts
 * parseQualifiedName('crm.customers'); // { schema: 'crm', name: 'customers' }
 * ```
 */
export function parseQualifiedName(value: string): QualifiedName | undefined {
  const parts = value.split('.');
  if (parts.length > 2 || parts.some((part) => identifierProblem(part) !== undefined)) return undefined;
  return parts.length === 2 ? { schema: parts[0], name: parts[1] as string } : { schema: undefined, name: value };
}

/** How a dialect quotes identifiers. */
export type QuoteStyle = 'double' | 'backtick';

/**
 * Quotes a validated identifier (`"name"` or `` `name` ``). Throws on an invalid identifier: names reach SQL
 * text only through here.
 */
export function quoteIdentifier(name: string, style: QuoteStyle): string {
  const problem = identifierProblem(name);
  if (problem !== undefined) throw new RangeError(`invalid SQL identifier: ${problem}`);
  return style === 'double' ? `"${name}"` : `\`${name}\``;
}

/** Quotes `schema.name` (or just `name`). */
export function quoteQualified(table: QualifiedName, style: QuoteStyle): string {
  const name = quoteIdentifier(table.name, style);
  return table.schema === undefined ? name : `${quoteIdentifier(table.schema, style)}.${name}`;
}

/** `schema.name` or `name`, unquoted, for messages. */
export function displayName(table: QualifiedName): string {
  return table.schema === undefined ? table.name : `${table.schema}.${table.name}`;
}

/**
 * A name for a helper table next to `table` (`<table>__floe_<tag>_<random>`), shortened to fit the identifier limit.
 */
export function helperTableName(table: QualifiedName, tag: string, random: string): QualifiedName {
  const suffix = `__floe_${tag}_${random}`;
  return { schema: table.schema, name: `${table.name.slice(0, MAX_IDENTIFIER_LENGTH - suffix.length)}${suffix}` };
}
