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

/** Every source column with the name it is sent as (renamed by `field_mapping`, else unchanged). */
export function mappedColumns(
  columns: readonly { readonly name: string; readonly type: DataType }[],
  mapping: Readonly<Record<string, string>> | undefined,
): MappedColumn[] {
  return columns.map((column) => ({
    source: column.name,
    target: mapping?.[column.name] ?? column.name,
    type: arrowTypeName(column.type),
  }));
}

/**
 * Problems of a `field_mapping` against the source's columns: a mapped column the table does not
 * have, and two columns that would arrive under the same name.
 */
export function mappingIssues(
  columnNames: readonly string[],
  mapping: Readonly<Record<string, string>> | undefined,
  context: { file: string; index: number; table: string },
): ValidationIssue[] {
  if (!mapping) return [];
  const issues: ValidationIssue[] = [];
  const base = `destinations[${context.index}].field_mapping`;
  for (const source of Object.keys(mapping)) {
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
    const target = mapping[name] ?? name;
    const earlier = seen.get(target);
    if (earlier !== undefined) {
      issues.push({
        file: context.file,
        path: base,
        message: `columns "${earlier}" and "${name}" would both be sent as "${target}"`,
      });
    } else seen.set(target, name);
  }
  return issues;
}
