import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { toSinkConfig, type PlannedDestination, type SinkConfig, type ValidationIssue } from '@floe/core';
import { ExitCode, exitCodeForCategory } from '../exit-code.js';
import type { Project } from '../project/load-project.js';
import type { Redactor } from '../secrets/redactor.js';
import { resolveSecret, type ResolvedSecret } from '../secrets/resolve-secret.js';
import type { SecretSource } from '../secrets/secret-source.js';
import { parseSourceTable, type SourceRef } from '../source/source-ref.js';
import { connectionValues, describeTarget } from './connection.js';
import { describeError, errorCategory } from './describe-error.js';
import { columnNamingOf, descriptorCheckIssues } from './destination-checks.js';
import type { EgressEngine, SourceTable } from './engine.js';
import { mappedColumns, mappingIssues, type MappedColumn } from './mapping.js';

/** A destination ready to write: secret resolved, source opened, mapping checked, sink config built. */
export interface PreparedDestination {
  readonly planned: PlannedDestination;
  readonly source: SourceTable;
  /** Rows in the source snapshot. */
  readonly rows: number;
  readonly columns: readonly MappedColumn[];
  /** Where rows go, without secrets. */
  readonly target: string;
  /** `undefined` when the secret is missing (only `plan` carries on without it). */
  readonly secret: ResolvedSecret | undefined;
  /** Built with the secret's values (or without them when it is missing). */
  readonly sinkConfig: SinkConfig;
  /** Rows per request when the sink sends less than a batch at once (`1`: a request per row). */
  readonly rowsPerRequest: number | undefined;
}

/** Why a destination cannot run: lines to print and the exit code it implies. */
export interface PreparationProblem {
  readonly destination: string;
  readonly lines: readonly string[];
  readonly exitCode: number;
  readonly error?: unknown;
}

/** The outcome of {@link prepareDestination}. `prepared` may be set alongside problems (`plan` shows both). */
export interface Preparation {
  readonly prepared: PreparedDestination | undefined;
  readonly problems: readonly PreparationProblem[];
  /** The connection values the sink receives (after its descriptor resolved them), when the secret was found. */
  readonly connection?: Readonly<Record<string, string>>;
}

/** What {@link prepareDestination} needs. */
export interface PrepareOptions {
  readonly project: Project;
  readonly engine: EgressEngine;
  readonly secrets: SecretSource;
  readonly redactor: Redactor;
  readonly signal: AbortSignal;
  /** Pin the source to this snapshot instead of the current one (finishing an unfinished run). */
  readonly snapshotId?: string;
}

/**
 * Everything a destination needs before its first row is sent, checked without writing anything:
 * the connection secret, the source table (opened at its current snapshot), the field mapping
 * against the table's columns, the sink type's checks with the secret and the columns, and the sink config. Every problem is collected, not just the first.
 */
export async function prepareDestination(planned: PlannedDestination, options: PrepareOptions): Promise<Preparation> {
  const { project, engine } = options;
  const file = project.specName;
  const at = (field: string) => `${file}: destinations[${planned.index}].${field}`;
  const problems: PreparationProblem[] = [];
  const problem = (lines: string[], exitCode: number = ExitCode.CONFIGURATION, error?: unknown) =>
    problems.push({ destination: planned.name, lines, exitCode, ...(error !== undefined && { error }) });

  const descriptor = engine.descriptor(planned.sinkType);
  let secret: ResolvedSecret | undefined;
  try {
    // The message is prefixed with `file: destinations[i].connection_secret_ref` below.
    secret = resolveSecret(planned.connectionSecretRef, options.secrets, {
      sinkType: planned.sinkType,
      ...(descriptor?.secret !== undefined && { rule: descriptor.secret }),
    });
    options.redactor.addAll(secret.values, planned.connectionSecretRef);
    // Values the sink derives from the secret (e.g. a Basic credential) are as secret as it.
    for (const value of descriptor?.derivedSecrets?.(secret.values) ?? []) options.redactor.add(value);
  } catch (error) {
    problem([`${at('connection_secret_ref')}: ${describeError(error)}`], exitFor(error), error);
  }
  const connection = secret ? connectionValues(descriptor, secret, project.paths.baseDir) : {};

  let source: SourceTable | undefined;
  const ref = parseSourceTable(planned.sourceTable, project.paths.baseDir);
  try {
    source = await engine.openSource(ref, {
      manifest: project.manifest,
      manifestDir: project.manifestFile === undefined ? undefined : dirname(project.manifestFile),
      secrets: options.secrets,
      redactor: options.redactor,
      signal: options.signal,
      ...(options.snapshotId !== undefined && { snapshotId: options.snapshotId }),
    });
  } catch (error) {
    const where = ref.kind === 'location' ? `location ${ref.location}` : `catalog identifier ${ref.identifier}`;
    problem(
      [
        `${at('source_table')}: cannot open table "${planned.sourceTable}" (${where}): ${describeError(error)}${folderHint(ref, project.paths.baseDir)}`,
      ],
      sourceExitFor(error),
      error,
    );
  }

  let rows = 0;
  let counted = false;
  let columns: MappedColumn[] = [];
  const naming = columnNamingOf(descriptor, planned);
  if (source) {
    const fields = source.schema.fields;
    const issues: ValidationIssue[] = mappingIssues(
      fields.map((field) => field.name),
      planned.fieldMapping,
      { file, index: planned.index, table: planned.sourceTable },
      naming,
    );
    for (const issue of issues) problem([`${issue.file}: ${issue.path}: ${issue.message}`]);
    // The sync's primary key names source columns (before field_mapping).
    const names = fields.map((field) => field.name);
    planned.sync.primaryKey.forEach((key, k) => {
      if (!names.includes(key))
        problem([
          `${at(`primary_key[${k}]`)}: column "${key}" is not in source table ${planned.sourceTable} (its columns: ${names.join(', ')}): name source columns, before field_mapping`,
        ]);
    });
    columns = mappedColumns(fields, planned.fieldMapping, naming);
    try {
      rows = await source.count();
      counted = true;
    } catch (error) {
      problem(
        [`${at('source_table')}: cannot count the rows of "${planned.sourceTable}": ${describeError(error)}`],
        sourceExitFor(error),
        error,
      );
    }
  }

  // The sink type's own checks, now with the secret and the columns: what the sink would refuse before its
  // first row is refused here, in the words `validate` uses.
  const checked = descriptorCheckIssues(descriptor, planned, file, {
    ...(secret !== undefined && { connection }),
    ...(source !== undefined && { columns: columns.map((column) => column.target) }),
  });
  for (const issue of checked) problem([`${issue.file}: ${issue.path}: ${issue.message}`]);

  let sinkConfig: SinkConfig | undefined;
  try {
    sinkConfig = toSinkConfig(planned, { connection });
  } catch (error) {
    problem([`${at('config')}: ${describeError(error)}`], exitFor(error), error);
  }
  const found = secret !== undefined ? { connection } : {};
  // A table whose rows cannot be counted (e.g. a corrupt manifest list) is not readable: no plan of "0 rows".
  if (!source || !sinkConfig || !counted) return { prepared: undefined, problems, ...found };
  return {
    ...found,
    prepared: {
      planned,
      source,
      rows,
      columns,
      target: describeTarget(descriptor, planned.sinkType, planned.config, connection),
      secret,
      sinkConfig,
      rowsPerRequest: descriptor?.rowsPerRequest?.(planned.config),
    },
    problems,
  };
}

/** `source_table: tbl` read as a catalog identifier while a folder `tbl` sits beside floe.yaml: say `./tbl`. */
function folderHint(ref: SourceRef, baseDir: string): string {
  if (ref.kind !== 'catalog') return '';
  const folder = join(baseDir, ref.identifier);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return '';
  return ` (a folder "${ref.identifier}" is next to floe.yaml: to read it as a table location, write source_table: ./${ref.identifier})`;
}

/** Configuration errors (and errors without a category) stop with 3; others with 1. */
function exitFor(error: unknown): number {
  return exitCodeForCategory(errorCategory(error));
}

/** A missing table is a configuration error; a broken or unreachable one is a failure. */
function sourceExitFor(error: unknown): number {
  const name = error instanceof Error ? error.name : '';
  if (name === 'IcebergNotFoundError' || name === 'LakehouseConfigError') return ExitCode.CONFIGURATION;
  return exitCodeForCategory(errorCategory(error), ExitCode.FAILED);
}
