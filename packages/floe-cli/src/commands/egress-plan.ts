import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { EgressEngine } from '../egress/engine.js';
import { batchCount, firstBatches } from '../egress/first-rows.js';
import {
  prepareDestination,
  type PreparedDestination,
  type PreparationProblem,
} from '../egress/prepare-destination.js';
import { describeError } from '../egress/describe-error.js';
import { checkLine, testTarget, unsupportedLine, type TargetTest } from '../egress/test-target.js';
import { ExitCode, worstExitCode } from '../exit-code.js';
import { formatTable } from '../output/format-table.js';
import { wantsJson } from '../output/output-settings.js';
import type { Terminal } from '../output/terminal.js';
import { addDestinationOption, addProjectOptions, parseCount, type ProjectOptions } from './common-options.js';
import { withEgressProject } from './with-egress-project.js';
import type { PlannedDestination } from '@floe/core';
import { describeChanges } from '../sync/describe-sync.js';
import { previewSync, type SyncPreview } from '../sync/preview-sync.js';

interface PlanOptions extends ProjectOptions {
  readonly destination?: string[];
  readonly rows: number;
  readonly json?: boolean;
  /** Also run each sink type's read-only target test (as `floe destination test`). */
  readonly checkTarget?: boolean;
  /** Plan a `--full-resync` run. */
  readonly fullResync?: boolean;
  /** Plan a `--allow-mass-delete` run. */
  readonly allowMassDelete?: boolean;
}

/** The plan's `sync` member: the mode, and what the next run would send (or why that is not known). */
function syncJson(planned: PlannedDestination, preview: SyncPreview | undefined): Record<string, unknown> {
  const { mode, primaryKey, changesOnly } = planned.sync;
  const base = { mode, primaryKey, changesOnly };
  if (preview === undefined) return { ...base, changes: null };
  if (!preview.ok) return { ...base, changes: null, reason: preview.reason };
  return { ...base, changes: preview.changes, ...(preview.refusal !== undefined && { refusal: preview.refusal }) };
}

function printSync(terminal: Terminal, planned: PlannedDestination, preview: SyncPreview | undefined): void {
  const key = planned.sync.primaryKey.length > 0 ? `, primary key ${planned.sync.primaryKey.join(', ')}` : '';
  if (preview === undefined) {
    terminal.out(`  sync:        ${planned.sync.mode}${key}: every row is sent`);
    return;
  }
  if (!preview.ok) {
    terminal.out(`  sync:        ${planned.sync.mode}${key}: ${preview.reason}`);
    return;
  }
  terminal.out(`  sync:        ${describeChanges(preview.changes.mode, preview.changes)}${key}`);
  if (preview.refusal !== undefined) terminal.out(`  refused run: ${preview.refusal}`);
  if (preview.changes.refused > 0)
    terminal.out(`  refused:     ${integer.format(preview.changes.refused)} rows with a null or duplicate primary key`);
}

const integer = new Intl.NumberFormat('en-US');

/**
 * `floe egress plan`: a dry run. For each destination: the source table and snapshot, row count,
 * batches, the columns after mapping, the target, the disposition, and the first rows exactly as they
 * would be sent, and what the next sync run would send. Writes nothing anywhere (no receipt, no state folder): a sink
 * is created only to read the destination's sync state, and closed.
 */
export async function planCommand(options: PlanOptions, context: CliContext): Promise<number> {
  return withEgressProject(options, context, async ({ terminal, redactor, engine, project, destinations }) => {
    let exitCode: number = ExitCode.OK;
    const report: Record<string, unknown>[] = [];
    if (!options.json) {
      terminal.out(
        `Plan for ${project.plan.product.name} ${project.plan.product.version} (${project.specName}) — dry run, nothing is written`,
      );
    }
    for (const planned of destinations) {
      const { prepared, problems, connection } = await prepareDestination(planned, {
        project,
        engine,
        secrets: context.secrets,
        redactor,
        signal: context.signal,
      });
      let sample: Sample = { rows: [] };
      const allProblems = [...problems];
      if (prepared) {
        try {
          sample = await previewRows(engine, prepared, options.rows, context.signal);
        } catch (error) {
          allProblems.push({
            destination: planned.name,
            lines: [
              `${project.specName}: destinations[${planned.index}].source_table: cannot read the first rows: ${describeError(error)}`,
            ],
            exitCode: ExitCode.FAILED,
          });
        }
      }
      for (const problem of allProblems) exitCode = worstExitCode(exitCode as ExitCode, problem.exitCode as ExitCode);
      // --check-target: the sink type's read-only test, once the secret is known (as `floe destination test`).
      let tested: TargetTest | undefined;
      if (options.checkTarget === true && connection !== undefined) {
        const columns = prepared?.columns.map((column) => column.target);
        tested = await testTarget(engine, planned, connection, columns, context.signal);
        exitCode = worstExitCode(exitCode as ExitCode, tested.exitCode);
      }
      const guarantee = engine.resumable(planned.sinkType) ? 'exactly-once' : 'at-least-once';
      // What the next run would send: the diff against the sync state, read-only.
      const sync =
        prepared && allProblems.length === 0
          ? await previewSync(prepared, {
              engine,
              project,
              context,
              redactor,
              fullResync: options.fullResync === true,
              allowMassDelete: options.allowMassDelete === true,
            })
          : undefined;
      // The mirror guard would refuse the run (exit 3, nothing sent): the plan says so with the same code.
      if (sync?.ok === true && sync.refusal !== undefined)
        exitCode = worstExitCode(exitCode as ExitCode, ExitCode.CONFIGURATION);
      if (options.json) {
        report.push({
          ...planJson(planned.name, prepared, sample, allProblems),
          guarantee,
          sync: syncJson(planned, sync),
          ...(tested && { targetCheck: { supported: tested.supported, checks: tested.checks } }),
        });
      } else {
        printPlan(terminal, planned.name, planned.sinkType, prepared, sample, allProblems, guarantee);
        printSync(terminal, planned, sync);
        if (tested) printTargetTest(terminal, planned.sinkType, tested);
      }
    }
    if (options.json)
      terminal.json({ product: project.plan.product, spec: project.paths.specFile, destinations: report, exitCode });
    else
      terminal.out(
        exitCode === ExitCode.OK
          ? '\nNothing was written. Run `floe egress run` to deliver.'
          : '\nNothing was written. Fix the problems above before `floe egress run`.',
      );
    return exitCode;
  });
}

async function previewRows(
  engine: EgressEngine,
  prepared: PreparedDestination,
  limit: number,
  signal: AbortSignal,
): Promise<Sample> {
  const rows: Record<string, unknown>[] = [];
  const json: string[] = [];
  let isJson = false;
  for (const batch of await firstBatches(prepared.source, limit, signal)) {
    const encoded = engine.encodeRows(prepared.sinkConfig, batch, limit - rows.length);
    rows.push(...encoded.rows);
    if (encoded.json) {
      isJson = true;
      json.push(...encoded.json);
    }
    if (rows.length >= limit) break;
  }
  return isJson ? { rows, json } : { rows };
}

interface Sample {
  readonly rows: Record<string, unknown>[];
  readonly json?: readonly string[];
}

function summary(prepared: PreparedDestination): Record<string, unknown> {
  const { planned, source } = prepared;
  return {
    source: {
      table: planned.sourceTable,
      snapshotId: source.snapshotId ?? null,
      snapshotTimestamp: source.snapshotTimestamp ?? null,
    },
    rows: prepared.rows,
    batchSize: planned.batchSize ?? null,
    batches: batchCount(prepared.rows, planned.batchSize),
    requests: prepared.rowsPerRequest === 1 ? prepared.rows : null,
    target: prepared.target,
    sinkType: planned.sinkType,
    disposition: planned.disposition,
    secret: {
      name: planned.connectionSecretRef,
      found: prepared.secret !== undefined,
      keys: prepared.secret
        ? Object.entries(prepared.secret.origins).map(([key, origin]) => ({ key, from: origin }))
        : [],
    },
    columns: prepared.columns,
  };
}

function planJson(
  name: string,
  prepared: PreparedDestination | undefined,
  sample: Sample,
  problems: readonly PreparationProblem[],
): Record<string, unknown> {
  return {
    name,
    ...(prepared && summary(prepared)),
    firstRows: sample.rows,
    ...(sample.json && { firstRowsJson: sample.json }),
    problems: problems.flatMap((problem) => problem.lines),
  };
}

function printPlan(
  terminal: Terminal,
  name: string,
  sinkType: string,
  prepared: PreparedDestination | undefined,
  sample: Sample,
  problems: readonly PreparationProblem[],
  guarantee: string,
): void {
  const { rows } = sample;
  terminal.out('');
  terminal.out(`${name} (${sinkType})`);
  if (prepared) {
    const { planned, source } = prepared;
    const snapshot =
      source.snapshotId === undefined
        ? 'no snapshot (empty table)'
        : `snapshot ${source.snapshotId}${source.snapshotTimestamp ? ` (${source.snapshotTimestamp})` : ''}`;
    const batches = batchCount(prepared.rows, planned.batchSize);
    const per =
      planned.batchSize === undefined ? 'all rows at once' : `up to ${integer.format(planned.batchSize)} rows each`;
    const secret = prepared.secret
      ? `${planned.connectionSecretRef} (${Object.entries(prepared.secret.origins)
          .map(([key, origin]) => `${key} from ${origin}`)
          .join(', ')})`
      : `${planned.connectionSecretRef} (NOT FOUND)`;
    terminal.out(`  source:      ${planned.sourceTable}  ${snapshot}`);
    terminal.out(
      prepared.rowsPerRequest === 1
        ? `  rows:        ${integer.format(prepared.rows)} in ${integer.format(prepared.rows)} request${prepared.rows === 1 ? '' : 's'} (one per row)`
        : `  rows:        ${integer.format(prepared.rows)} in ${integer.format(batches)} batch${batches === 1 ? '' : 'es'} (${per})`,
    );
    terminal.out(`  target:      ${prepared.target}`);
    terminal.out(`  disposition: ${planned.disposition}`);
    terminal.out(
      `  delivery:    ${guarantee}${guarantee === 'at-least-once' ? ' (the sink is not resumable: a rerun after a fault may send rows again)' : ''}`,
    );
    terminal.out(`  secret:      ${secret}`);
    terminal.out(
      `  columns:     ${prepared.columns.map((c) => (c.source === c.target ? `${c.target} ${c.type}` : `${c.source} → ${c.target} ${c.type}`)).join(', ')}`,
    );
    if (rows.length > 0) {
      const whole = rows.length >= prepared.rows ? ' (the whole table)' : '';
      if (sample.json) {
        terminal.out(`  first ${rows.length} record${rows.length === 1 ? '' : 's'} as sent (JSON)${whole}:`);
        for (const text of sample.json) terminal.out(`    ${text}`);
      } else {
        terminal.out(`  first ${rows.length} row${rows.length === 1 ? '' : 's'} as sent${whole}:`);
        for (const line of formatTable(rows, Object.keys(rows[0] ?? {}), terminal.width - 4))
          terminal.out(`    ${line}`);
      }
    }
  }
  for (const problem of problems) for (const line of problem.lines) terminal.err(line);
}

function printTargetTest(terminal: Terminal, sinkType: string, tested: TargetTest): void {
  terminal.out('  target check (read-only):');
  if (!tested.supported) terminal.out(`    ${unsupportedLine(sinkType)}`);
  for (const check of tested.checks) terminal.out(`    ${checkLine(check)}`);
}

/** Registers `egress plan`. */
export function registerPlan(egress: Command, context: CliContext, done: (code: number) => void): void {
  addDestinationOption(addProjectOptions(egress.command('plan')))
    .description('dry run: show what each destination would send, and where; writes nothing')
    .option('-n, --rows <n>', 'first rows to show per destination', parseCount, 5)
    .option('--json', 'print the plan as one JSON object')
    .option('--check-target', 'also connect to each destination and check it can take the rows (read-only)')
    .option('--full-resync', 'plan a run that sends every row again (as egress run --full-resync)')
    .option(
      '--allow-mass-delete',
      'plan a mirror run allowed to delete more than sync.max_delete_fraction (as egress run --allow-mass-delete)',
    )
    .addHelpText(
      'after',
      `
For each destination: source table and snapshot, row count, batches, columns after mapping,
target, write disposition, where the secret was found (never its value), and the first rows
exactly as they would be sent, and the sync: which path the next run takes (the Iceberg fast path
reading only the files that changed, or a full-scan diff, and why) with its inserts, updates, deletes
and unchanged rows, read from the sync state without changing it; a mirror run the delete guard would
refuse (more deletes than sync.max_delete_fraction) is shown with its deletes and the refusal. Writes nothing anywhere. With --check-target, also
connects to each destination as \`floe destination test\` does (the table exists and takes the mapped
columns, the endpoint accepts the credential), still without writing.

Exit code 0 when every destination could run, 3 for a configuration problem (missing secret,
missing table, mapping to a missing column, a target check failing on configuration, a mirror run the
delete guard would refuse without --allow-mass-delete), 1 when a table
cannot be read or (--check-target) a destination cannot be reached.

Examples:
  $ floe egress plan
  $ floe egress plan --spec examples/quickstart/floe.yaml --rows 3
  $ floe egress plan --destination crm --destination warehouse --json
  $ floe egress plan --check-target`,
    )
    .action(async (options: PlanOptions) => {
      const json = wantsJson(options.json, context.output, context.stdout, false); // --format json too
      done(await planCommand({ ...options, json }, context));
    });
}
