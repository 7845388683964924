import { Field, Schema } from 'apache-arrow';
import { isSyncColumn } from '@floe/core';
import { SinkConfigurationError, type ConfigurationIssue } from '../../errors/sink-configuration-error.js';
import type { Destination } from './destination.js';
import { normalizeName } from './naming.js';
import type { ColumnSchema, TableSchema } from './types.js';

/** The table a destination receives: its `TableSchema` and the renamed Arrow schema of its batches. */
export interface TablePlan {
  readonly table: TableSchema;
  /** The source schema (to check later batches against). */
  readonly sourceSchema: Schema;
}

/**
 * Applies the field mapping (source column → destination field, used as written) and the naming convention
 * (to the columns the mapping does not rename) to the source schema, checks the primary key, and builds the `TableSchema`. Every problem is reported at once, as a
 * {@link SinkConfigurationError} with paths, before anything is sent. With `sync` (a sync write), the bookkeeping
 * columns (`isSyncColumn`: `_floe_op`, `_floe_key`, …) keep their names in the batches and are left out of
 * `table.columns` — never mapped, named or sent as data.
 */
export function planTable(
  source: Schema,
  destination: Destination,
  fieldMapping: Readonly<Record<string, string>> = {},
  options: { readonly sync?: boolean } = {},
): TablePlan {
  const issues: ConfigurationIssue[] = [];
  const sourceNames = source.fields.map((field) => field.name);
  const bookkeeping = (name: string): boolean => options.sync === true && isSyncColumn(name);
  for (const column of Object.keys(fieldMapping)) {
    if (bookkeeping(column)) {
      issues.push({
        path: `field_mapping.${column}`,
        message: `"${column}" is a sync bookkeeping column, never sent: remove it from field_mapping`,
      });
    }
  }
  for (const column of Object.keys(fieldMapping)) {
    if (!sourceNames.includes(column)) {
      issues.push({
        path: `field_mapping.${column}`,
        message: `column "${column}" is not in the data (columns: ${sourceNames.join(', ') || 'none'})`,
      });
    }
  }
  const fields = source.fields.map((field) => {
    // An explicit field_mapping target is used as written; the naming convention names the other columns.
    const name = bookkeeping(field.name)
      ? field.name
      : (fieldMapping[field.name] ?? normalizeName(field.name, destination.namingConvention));
    return new Field(name, field.type, field.nullable, field.metadata);
  });
  const seen = new Map<string, string>();
  source.fields.forEach((field, j) => {
    const name = (fields[j] as Field).name;
    const previous = seen.get(name);
    if (previous !== undefined) {
      issues.push({
        path: `field_mapping.${field.name}`,
        message: `columns "${previous}" and "${field.name}" both become "${name}": rename one with field_mapping`,
      });
    }
    seen.set(name, field.name);
  });
  destination.primaryKey.forEach((key, k) => {
    if (!seen.has(key)) issues.push({ path: `primary_key[${k}]`, message: `"${key}" is not a destination column` });
  });
  if (issues.length > 0) {
    throw new SinkConfigurationError('the data does not fit the destination', {
      issues,
      sinkType: destination.sinkType,
      destination: destination.name,
    });
  }
  const primary = new Set(destination.primaryKey);
  const columns: ColumnSchema[] = fields.flatMap((field, j) =>
    bookkeeping(sourceNames[j] as string)
      ? []
      : [
          {
            name: field.name,
            sourceName: sourceNames[j] as string,
            type: field.type,
            nullable: field.nullable,
            primaryKey: primary.has(field.name),
          },
        ],
  );
  return {
    table: Object.freeze({
      name: destination.tableName,
      columns: Object.freeze(columns),
      primaryKey: Object.freeze([...destination.primaryKey]),
      arrowSchema: new Schema(fields, source.metadata),
    }),
    sourceSchema: source,
  };
}

/** Checks a later batch has the first batch's columns and types; returns a description of the difference, if any. */
export function schemaDifference(expected: Schema, actual: Schema): string | undefined {
  if (expected.fields.length !== actual.fields.length) {
    return `expected ${expected.fields.length} columns, got ${actual.fields.length}`;
  }
  for (let j = 0; j < expected.fields.length; j += 1) {
    const want = expected.fields[j] as Field;
    const got = actual.fields[j] as Field;
    if (want.name !== got.name || String(want.type) !== String(got.type)) {
      return `column ${j}: expected ${want.name} ${String(want.type)}, got ${got.name} ${String(got.type)}`;
    }
  }
  return undefined;
}
