import type { ConfigurationIssue } from '../../errors/index.js';
import type { ColumnDefinition, ExistingTable, SqlDialect } from './dialects/sql-dialect.js';
import { displayName, helperTableName, type QualifiedName } from './identifiers.js';
import { randomTag } from './internal/with-connection.js';
import type { PlannedColumn } from './plan-columns.js';
import type { SqlSinkSettings } from './sql-sink-settings.js';
import { isCompatibleColumn } from './type-compatibility.js';

/** Where a load writes. */
export interface PreparedTable {
  /** The table the rows go to: the target, or for `replace` the new table swapped in at commit. */
  readonly writeTable: QualifiedName;
  /** The target table (schema resolved). */
  readonly target: QualifiedName;
  /** For `replace`: the new table, dropped on rollback. */
  readonly staging: QualifiedName | undefined;
  /** Each loaded column's type in the table written to, as the database spells it (for binary COPY). */
  readonly columnTypes: ReadonlyMap<string, string>;
}

/** A configuration problem found against the database (thrown by {@link prepareTable}). */
export class TableConfigurationIssues extends Error {
  readonly issues: readonly ConfigurationIssue[];

  constructor(message: string, issues: readonly ConfigurationIssue[]) {
    super(message);
    this.issues = issues;
  }
}

function definitions(columns: readonly PlannedColumn[]): ColumnDefinition[] {
  return columns.map((column) => ({ name: column.name, type: column.sqlType, nullable: !column.inKey }));
}

/**
 * Makes the target ready for a load: creates it from the Arrow schema when missing (unless `create_table`
 * is false), adds columns the data gained as nullable columns, refuses a column whose existing type could
 * not hold the incoming values exactly (naming table, column, existing and incoming type), checks that a
 * merge key is backed by a primary key or unique index, and for `replace` creates the new table (shaped
 * like the existing one) the load fills.
 */
export async function prepareTable(
  dialect: SqlDialect,
  settings: SqlSinkSettings,
  columns: readonly PlannedColumn[],
): Promise<PreparedTable> {
  const target: QualifiedName = { schema: settings.table.schema ?? dialect.defaultSchema, name: settings.table.name };
  const label = displayName(target);
  const staging = settings.writeDisposition === 'replace' ? helperTableName(target, 'new', randomTag()) : undefined;
  await dropStagingLeftovers(dialect, target);
  const existing = await dialect.describe(target);
  if (existing === undefined) {
    if (!settings.createTable) {
      throw new TableConfigurationIssues(`table ${label} does not exist`, [
        {
          path: 'config.create_table',
          message: `is false and table ${label} does not exist: create it or set create_table: true`,
        },
      ]);
    }
    await dialect.createTable(staging ?? target, definitions(columns), settings.primaryKey);
    const columnTypes = new Map(columns.map((column) => [column.name, column.sqlType]));
    return { writeTable: staging ?? target, target, staging, columnTypes };
  }
  const missing = checkExisting(dialect, settings, label, existing, columns);
  const existingTypes = new Map(existing.columns.map((column) => [column.name, column.type]));
  const columnTypes = new Map(columns.map((column) => [column.name, existingTypes.get(column.name) ?? column.sqlType]));
  if (staging !== undefined) {
    await dialect.createTableLike(staging, target);
    await dialect.addColumns(
      staging,
      definitions(missing).map((column) => ({ ...column, nullable: true })),
    );
    return { writeTable: staging, target, staging, columnTypes };
  }
  await dialect.addColumns(
    target,
    definitions(missing).map((column) => ({ ...column, nullable: true })),
  );
  return { writeTable: target, target, staging, columnTypes };
}

/**
 * Drops the new tables interrupted `replace` loads of `target` left behind (`<table>__floe_new_<6 hex>`: a load
 * killed before its swap or its rollback). Only this target's own helper tables match. A load of the same target
 * still running in another process would lose its new table: runs of one destination must not overlap.
 */
export async function dropStagingLeftovers(dialect: SqlDialect, target: QualifiedName): Promise<string[]> {
  const prefix = helperTableName(target, 'new', '000000').name.slice(0, -6);
  const leftovers = (await dialect.tablesStartingWith(target.schema, prefix)).filter((name) =>
    /^[0-9a-f]{6}$/.test(name.slice(prefix.length)),
  );
  for (const name of leftovers) await dialect.dropTable({ schema: target.schema, name });
  return leftovers;
}

/** Returns the columns to add; throws on incompatible types, missing columns without create_table, or no merge key. */
function checkExisting(
  dialect: SqlDialect,
  settings: SqlSinkSettings,
  label: string,
  existing: ExistingTable,
  columns: readonly PlannedColumn[],
): PlannedColumn[] {
  const issues: ConfigurationIssue[] = [];
  // PostgreSQL's quoted names are case-sensitive; MySQL's and SQLite's column names are not.
  const fold = (name: string): string => (dialect.name === 'postgres' ? name : name.toLowerCase());
  const byName = new Map(existing.columns.map((column) => [fold(column.name), column]));
  const missing: PlannedColumn[] = [];
  for (const column of columns) {
    const current = byName.get(fold(column.name));
    if (current === undefined) missing.push(column);
    else if (!isCompatibleColumn(dialect.name, current.type, column.kind)) {
      issues.push({
        path: `columns.${column.name}`,
        message: `incompatible type change in table ${label}, column ${current.name}: existing type ${current.type}, incoming ${column.arrowType} (${column.sqlType}); migrate the column or cast the data`,
      });
    }
  }
  if (missing.length > 0 && !settings.createTable) {
    issues.push({
      path: 'config.create_table',
      message: `is false and table ${label} lacks column(s) ${missing.map((column) => column.name).join(', ')}`,
    });
  }
  if (settings.writeDisposition === 'merge') {
    const wanted = settings.primaryKey.map(fold).sort().join(',');
    const backed = existing.uniqueKeys.some((key) => key.map(fold).sort().join(',') === wanted);
    if (!backed) {
      issues.push({
        path: 'config.primary_key',
        message: `merge needs a primary key or unique index on (${settings.primaryKey.join(', ')}) in table ${label}; it has ${existing.uniqueKeys.length === 0 ? 'none' : existing.uniqueKeys.map((key) => `(${key.join(', ')})`).join(', ')}`,
      });
    }
  }
  if (issues.length > 0) throw new TableConfigurationIssues(`table ${label} does not fit the data`, issues);
  return missing;
}
