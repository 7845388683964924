import type { ColumnDefinition } from './sql-dialect.js';

/** `CREATE TABLE IF NOT EXISTS` with the primary key; key columns are NOT NULL, the others nullable. */
export function createTableSql(
  columns: readonly ColumnDefinition[],
  primaryKey: readonly string[],
  quote: (name: string) => string,
  qualified: string,
): string {
  const definitions = columns.map(
    (column) => `${quote(column.name)} ${column.type}${column.nullable ? '' : ' NOT NULL'}`,
  );
  if (primaryKey.length > 0) definitions.push(`PRIMARY KEY (${primaryKey.map(quote).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${qualified} (${definitions.join(', ')})`;
}
