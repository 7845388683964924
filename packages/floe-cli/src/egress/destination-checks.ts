import { dirname } from 'node:path';
import type { PlannedDestination, SinkTypeDescriptor, ValidationIssue } from '@floe/core';
import type { Project } from '../project/load-project.js';
import type { Redactor } from '../secrets/redactor.js';
import { resolveSecret } from '../secrets/resolve-secret.js';
import type { SecretSource } from '../secrets/secret-source.js';
import { parseSourceTable } from '../source/source-ref.js';
import { connectionValues } from './connection.js';
import { describeError } from './describe-error.js';
import type { EgressEngine } from './engine.js';
import { targetName, type ColumnNaming } from './mapping.js';

/** What is known of a destination beyond floe.yaml: its resolved connection and its columns after mapping. */
export interface KnownParts {
  readonly connection?: Readonly<Record<string, string>>;
  readonly columns?: readonly string[];
}

/**
 * The sink type's own checks (`descriptor.check`) with what is known, as `file: destinations[i].<path>: message`
 * issues. `validate`, `plan` and `run` all call this, so what a sink would refuse before its first row is
 * refused by each with the same words.
 */
export function descriptorCheckIssues(
  descriptor: SinkTypeDescriptor | undefined,
  planned: PlannedDestination,
  file: string,
  known: KnownParts,
): ValidationIssue[] {
  if (descriptor?.check === undefined) return [];
  return descriptor
    .check({
      config: planned.config,
      disposition: planned.disposition,
      ...(known.connection !== undefined && { connection: known.connection }),
      ...(known.columns !== undefined && { columns: known.columns }),
    })
    .map((issue) => ({ file, path: `destinations[${planned.index}].${issue.path}`, message: issue.message }));
}

/** What {@link checkWithKnownParts} needs. */
export interface CheckOptions {
  readonly project: Project;
  readonly engine: EgressEngine;
  readonly secrets: SecretSource;
  readonly redactor: Redactor;
  readonly signal: AbortSignal;
}

/**
 * For `validate`: resolves the destination's secret and opens its source table's metadata (schema only, no
 * rows) when they are available, then runs the sink type's checks with them. A missing secret is a warning
 * (`run` needs it; `validate` may run where it is not mounted); a source that cannot be opened is skipped.
 */
export async function checkWithKnownParts(
  planned: PlannedDestination,
  options: CheckOptions,
): Promise<{ readonly issues: ValidationIssue[]; readonly warnings: ValidationIssue[] }> {
  const { project, engine } = options;
  const file = project.specName;
  const descriptor = engine.descriptor(planned.sinkType);
  const warnings: ValidationIssue[] = [];
  let connection: Record<string, string> | undefined;
  try {
    const secret = resolveSecret(planned.connectionSecretRef, options.secrets, {
      sinkType: planned.sinkType,
      ...(descriptor?.secret !== undefined && { rule: descriptor.secret }),
    });
    options.redactor.addAll(secret.values, planned.connectionSecretRef);
    for (const value of descriptor?.derivedSecrets?.(secret.values) ?? []) options.redactor.add(value);
    connection = connectionValues(descriptor, secret, project.paths.baseDir);
  } catch (error) {
    warnings.push({
      file,
      path: `destinations[${planned.index}].connection_secret_ref`,
      message: `${describeError(error)} (the connection is checked only when the secret is available; egress run needs it)`,
    });
  }
  let columns: string[] | undefined;
  try {
    const source = await engine.openSource(parseSourceTable(planned.sourceTable, project.paths.baseDir), {
      manifest: project.manifest,
      manifestDir: project.manifestFile === undefined ? undefined : dirname(project.manifestFile),
      secrets: options.secrets,
      redactor: options.redactor,
      signal: options.signal,
    });
    const naming = columnNamingOf(descriptor, planned);
    columns = source.schema.fields.map((field) => targetName(field.name, planned.fieldMapping, naming));
  } catch {
    // An unreadable source is reported by plan and run; validate checks floe.yaml.
  }
  return {
    issues: descriptorCheckIssues(descriptor, planned, file, {
      ...(connection !== undefined && { connection }),
      ...(columns !== undefined && { columns }),
    }),
    warnings,
  };
}

/** The sink type's naming convention for this destination's columns (`undefined`: names are kept). */
export function columnNamingOf(
  descriptor: SinkTypeDescriptor | undefined,
  planned: PlannedDestination,
): ColumnNaming | undefined {
  const { columnName } = descriptor ?? {};
  return columnName === undefined ? undefined : (name) => columnName(planned.config, name);
}
