import type { Command } from 'commander';
import type { SinkTargetCheck } from '@floe/core';
import type { CliContext } from '../context.js';
import { prepareDestination } from '../egress/prepare-destination.js';
import { checkLine, testTarget, unsupportedLine } from '../egress/test-target.js';
import { ExitCode, exitCodeForCategory, worstExitCode } from '../exit-code.js';
import { wantsJson } from '../output/output-settings.js';
import { addDestinationOption, addProjectOptions, type ProjectOptions } from './common-options.js';
import { withEgressProject } from './with-egress-project.js';

interface DestinationTestOptions extends ProjectOptions {
  readonly destination?: string[];
  readonly json?: boolean;
}

/** A check as `destination test` reports it: the preparation's (secret, source, mapping) and the sink type's. */
interface ReportedCheck extends SinkTargetCheck {
  readonly exitCode: number;
}

/**
 * `floe destination test` (as `dbt debug`): for each destination, resolves the secret, opens the source and
 * checks the mapping, then runs the sink type's read-only `testTarget` (connect, the table exists and takes the
 * mapped columns, the endpoint accepts the credential). One line per check; nothing is written anywhere.
 * Exit 0 when every check passed, 3 for a configuration problem, 1 when a target is unreachable.
 */
export async function destinationTestCommand(options: DestinationTestOptions, context: CliContext): Promise<number> {
  return withEgressProject(options, context, async ({ terminal, redactor, engine, project, destinations }) => {
    let exitCode: ExitCode = ExitCode.OK;
    const report: Record<string, unknown>[] = [];
    if (!options.json) {
      terminal.out(
        `Testing destinations of ${project.plan.product.name} ${project.plan.product.version} (${project.specName}) — read-only, nothing is written`,
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
      const checks: ReportedCheck[] = problems.flatMap((problem) =>
        problem.lines.map((line) => ({ check: checkOf(line), ok: false, message: line, exitCode: problem.exitCode })),
      );
      if (connection !== undefined) {
        checks.unshift({ check: 'secret', ok: true, message: `${planned.connectionSecretRef} found`, exitCode: 0 });
      }
      if (prepared) {
        checks.push({
          check: 'source',
          ok: true,
          message: `${planned.sourceTable}: ${prepared.rows} rows, ${prepared.columns.length} columns mapped`,
          exitCode: 0,
        });
      }
      let supported = true;
      if (connection !== undefined) {
        const columns = prepared?.columns.map((column) => column.target);
        const tested = await testTarget(engine, planned, connection, columns, context.signal);
        supported = tested.supported;
        for (const check of tested.checks) checks.push({ ...check, exitCode: checkExit(check) });
      }
      for (const check of checks) exitCode = worstExitCode(exitCode, check.exitCode as ExitCode);
      const target = prepared?.target ?? planned.sinkType;
      if (options.json) {
        report.push({
          name: planned.name,
          sinkType: planned.sinkType,
          target,
          supported,
          checks: checks.map(({ exitCode: _code, ...check }) => check),
        });
        continue;
      }
      terminal.out('');
      terminal.out(`${planned.name} (${planned.sinkType})  ${target}`);
      for (const check of checks) terminal.out(`  ${checkLine(check)}`);
      if (!supported) terminal.out(`  ${unsupportedLine(planned.sinkType)}`);
      else if (connection === undefined) terminal.out('  - target: not tested (no secret to connect with)');
    }
    if (options.json) terminal.json({ product: project.plan.product, destinations: report, exitCode });
    else
      terminal.out(
        exitCode === ExitCode.OK
          ? '\nAll checks passed. Nothing was written.'
          : '\nSome checks failed (✘ above). Nothing was written.',
      );
    return exitCode;
  });
}

/** The check a preparation problem belongs to, from the field it names (`destinations[0].source_table: …`). */
function checkOf(line: string): string {
  const field = /^[^:]*: destinations\[\d+\]\.([a-z_]+)/.exec(line)?.[1];
  if (field === 'connection_secret_ref') return 'secret';
  if (field === 'source_table') return 'source';
  if (field === 'field_mapping') return 'mapping';
  return 'config';
}

function checkExit(check: SinkTargetCheck): number {
  return check.ok ? ExitCode.OK : exitCodeForCategory(check.category);
}

/** Registers `destination` with its `test` subcommand. */
export function registerDestination(program: Command, context: CliContext, done: (code: number) => void): void {
  const destination = program
    .command('destination')
    .description('check the destinations declared in floe.yaml without writing to them');
  addDestinationOption(addProjectOptions(destination.command('test')))
    .description('connect to each destination and check it can take the rows (as dbt debug); writes nothing')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
For each destination: the secret resolves, the source table opens and the mapping holds, then the sink type's
own read-only test: sql_database connects, checks the table exists (or create_table: true) and has the mapped
columns; rest_api asks the endpoint (HEAD, OPTIONS, GET — never a body) whether it accepts the credential.
One line per check (✔ / ✘). A sink type without a test says "not supported" (not an error).

Exit code 0 when every check passed, 3 for a configuration problem (missing secret or table, a refused
credential), 1 when a destination cannot be reached.

Examples:
  $ floe destination test
  $ floe destination test -d crm warehouse --json`,
    )
    .action(async (options: DestinationTestOptions) => {
      const json = wantsJson(options.json, context.output, context.stdout, false);
      done(await destinationTestCommand({ ...options, json }, context));
    });
}
