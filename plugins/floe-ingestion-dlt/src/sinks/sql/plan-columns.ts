import type { ConfigurationIssue } from '../../errors/index.js';
import type { TableSchema } from '../../engine/destination/types.js';
import { columnKind, describeArrowType, type ColumnKind } from './column-kind.js';
import type { SqlDialectName } from './connection-url.js';
import { identifierProblem } from './identifiers.js';
import { sqlTypeFor } from './type-mapping.js';

/** A column of the load as the database will see it. */
export interface PlannedColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /** e.g. `Int64`, `Timestamp(µs, UTC)`. */
  readonly arrowType: string;
  /** The type the sink creates, e.g. `bigint`. */
  readonly sqlType: string;
  readonly inKey: boolean;
}

/**
 * Maps the load's columns to SQL: every name a valid identifier, every Arrow type supported by the dialect,
 * every primary-key column present. Returns the planned columns and the problems found (paths name the column).
 */
export function planColumns(
  table: TableSchema,
  dialect: SqlDialectName,
  primaryKey: readonly string[],
): { readonly columns: PlannedColumn[]; readonly issues: ConfigurationIssue[] } {
  const issues: ConfigurationIssue[] = [];
  const columns: PlannedColumn[] = [];
  for (const column of table.columns) {
    const path = `columns.${column.name}`;
    const nameProblem = columnNameProblem(column.name);
    if (nameProblem !== undefined) {
      issues.push({ path, message: nameProblem });
      continue;
    }
    const kind = columnKind(column.type);
    if (typeof kind === 'string') {
      issues.push({ path, message: kind });
      continue;
    }
    const inKey = primaryKey.includes(column.name);
    const sqlType = sqlTypeFor(dialect, kind, inKey);
    if (sqlType.startsWith('!')) {
      issues.push({ path, message: sqlType.slice(1) });
      continue;
    }
    columns.push({ name: column.name, kind, arrowType: describeArrowType(column.type), sqlType, inKey });
  }
  const names = table.columns.map((column) => column.name);
  issues.push(...primaryKeyColumnIssues(names, primaryKey), ...caseClashIssues(names));
  return { columns, issues };
}

/** Why a column cannot be created under `name`, with the fix; `undefined` when it can. */
export function columnNameProblem(name: string): string | undefined {
  const problem = identifierProblem(name);
  return problem === undefined ? undefined : `column name ${problem}; rename it with field_mapping`;
}

/** Every `primary_key` column must be a column of the data (after field mapping). */
export function primaryKeyColumnIssues(names: readonly string[], primaryKey: readonly string[]): ConfigurationIssue[] {
  const issues: ConfigurationIssue[] = [];
  primaryKey.forEach((key, index) => {
    if (!names.includes(key)) {
      issues.push({
        path: `config.primary_key[${index}]`,
        message: `"${key}" is not a column of the data (after field mapping): ${names.join(', ') || 'no columns'}`,
      });
    }
  });
  return issues;
}

/** Columns whose names differ only in case (one table column in MySQL and SQLite): path `columns.<name>`. */
export function caseClashIssues(names: readonly string[]): ConfigurationIssue[] {
  const issues: ConfigurationIssue[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const folded = name.toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined) {
      issues.push({
        path: `columns.${name}`,
        message:
          earlier === name
            ? `two columns would both be named "${name}"; rename one with field_mapping`
            : `"${earlier}" and "${name}" differ only in case; rename one with field_mapping`,
      });
    } else seen.set(folded, name);
  }
  return issues;
}
