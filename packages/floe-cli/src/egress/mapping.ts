import type { DataType } from 'apache-arrow';
import type { ValidationIssue } from '@floe/core';
import { arrowTypeName } from '../output/arrow-type-name.js';

/** A source column and the name it is sent as. */
export interface MappedColumn {
  readonly source: string;
  readonly target: string;
  /** The Arrow type, as text (`int64`, `string`, `decimal(15,2)`…). */
  readonly type: string;
}

/** The destination's name for a column `field_mapping` does not rename (a sink type's naming convention). */
export type ColumnNaming = (name: string) => string;

/** The name a source column is sent as: its `field_mapping` target as written, else named by `naming`. */
export function targetName(
  name: string,
  mapping: Readonly<Record<string, string>> | undefined,
  naming: ColumnNaming | undefined,
): string {
  return mapping?.[name] ?? naming?.(name) ?? name;
}

/**
 * Every source column with the name it is sent as (renamed by `field_mapping`, else by the sink type's
 * naming convention, else unchanged).
 */
export function mappedColumns(
  columns: readonly { readonly name: string; readonly type: DataType }[],
  mapping: Readonly<Record<string, string>> | undefined,
  naming?: ColumnNaming,
): MappedColumn[] {
  return columns.map((column) => ({
    source: column.name,
    target: targetName(column.name, mapping, naming),
    type: arrowTypeName(column.type),
  }));
}

/**
 * Problems of a `field_mapping` against the source's columns: a mapped column the table does not
 * have, and two columns that would arrive under the same name (after the naming convention, if any).
 */
export function mappingIssues(
  columnNames: readonly string[],
  mapping: Readonly<Record<string, string>> | undefined,
  context: { file: string; index: number; table: string },
  naming?: ColumnNaming,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const base = `destinations[${context.index}].field_mapping`;
  for (const source of Object.keys(mapping ?? {})) {
    if (!columnNames.includes(source)) {
      issues.push({
        file: context.file,
        path: `${base}.${source}`,
        message: `column "${source}" is not in source table ${context.table} (its columns: ${columnNames.join(', ')})`,
      });
    }
  }
  const seen = new Map<string, string>();
  for (const name of columnNames) {
    const target = targetName(name, mapping, naming);
    const earlier = seen.get(target);
    if (earlier !== undefined) {
      const byConvention = [earlier, name].find((column) => mapping?.[column] === undefined && column !== target);
      issues.push({
        file: context.file,
        path: base,
        message:
          byConvention === undefined
            ? `columns "${earlier}" and "${name}" would both be sent as "${target}": rename one with field_mapping`
            : `columns "${earlier}" and "${name}" would both be sent as "${target}" (after the naming convention): ` +
              `rename one with field_mapping, e.g. field_mapping: { "${byConvention}": ${target}_2 }`,
      });
    } else seen.set(target, name);
  }
  return issues;
}
