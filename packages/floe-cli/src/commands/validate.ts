import type { Command } from 'commander';
import type { ValidationIssue } from '@floe/core';
import type { CliContext } from '../context.js';
import { checkWithKnownParts } from '../egress/destination-checks.js';
import { ExitCode } from '../exit-code.js';
import { issuesJson, printIssues } from '../output/print-issues.js';
import { reportUnexpected } from '../output/report-unexpected.js';
import { wantsJson } from '../output/output-settings.js';
import { Terminal } from '../output/terminal.js';
import { projectPaths } from '../paths.js';
import { displayPath } from '../project/display-path.js';
import { loadProject } from '../project/load-project.js';
import { sinksFor } from './load-for-egress.js';
import { Redactor } from '../secrets/redactor.js';
import { addProjectOptions, type ProjectOptions } from './common-options.js';

interface ValidateOptions extends ProjectOptions {
  readonly json?: boolean;
}

/**
 * `floe validate`: schema and compile checks of floe.yaml against its manifest and the installed
 * sink types, then each sink type's checks with the destination's secret and source columns when they are
 * available (the checks `egress run` makes before its first row). Prints every problem as
 * `file: path: message`; exit 0 or 3. A missing secret is a warning; reads no row, writes nothing.
 */
export async function validateCommand(options: ValidateOptions, context: CliContext): Promise<number> {
  // Warnings about short secrets go through the terminal, created next (they come once a secret is read).
  const redactor = new Redactor({ warn: (message) => terminal.err(`warning: ${message}`) });
  const terminal = new Terminal(context.stdout, context.stderr, redactor, context.output, context.env);
  const json = wantsJson(options.json, context.output, context.stdout, false);
  const engine = await context.createEngine({ projectDir: projectPaths(options.spec, context.cwd).baseDir });
  try {
    const paths = projectPaths(options.spec, context.cwd);
    const loaded = await loadProject({
      paths,
      cwd: context.cwd,
      availableSinks: (manifest) => sinksFor(engine, manifest),
      ...(options.manifest !== undefined && { manifest: options.manifest }),
      strict: context.governance?.strict === true,
    });
    if (engine.problems.length > 0) {
      // An installation problem (a plugin that does not load, a sink type offered twice) names the package.
      if (json) terminal.json({ valid: false, issues: engine.problems.map((message) => ({ message })), warnings: [] });
      else for (const problem of engine.problems) terminal.err(problem);
      return ExitCode.CONFIGURATION;
    }
    const known: { issues: ValidationIssue[]; warnings: ValidationIssue[] } = { issues: [], warnings: [] };
    if (loaded.ok) {
      for (const planned of loaded.project.plan.destinations) {
        const checked = await checkWithKnownParts(planned, {
          project: loaded.project,
          engine,
          secrets: context.secrets,
          redactor,
          signal: context.signal,
        });
        known.issues.push(...checked.issues);
        known.warnings.push(...checked.warnings);
      }
    }
    const valid = loaded.ok && known.issues.length === 0;
    const issues = loaded.ok ? known.issues : loaded.issues;
    const warnings = loaded.ok ? [...loaded.project.warnings, ...known.warnings] : loaded.warnings;
    if (json) {
      terminal.json({
        valid,
        issues: issuesJson(issues),
        warnings: issuesJson(warnings),
        ...(loaded.ok && {
          destinations: loaded.project.plan.destinations.map((d) => ({
            name: d.name,
            sinkType: d.sinkType,
            sourceTable: d.sourceTable,
            disposition: d.disposition,
          })),
        }),
      });
      return valid ? ExitCode.OK : ExitCode.CONFIGURATION;
    }
    if (!valid) {
      printIssues(terminal, issues, warnings);
      terminal.err(`${issues.length} problem${issues.length === 1 ? '' : 's'} found`);
      return ExitCode.CONFIGURATION;
    }
    const { project } = loaded;
    printIssues(terminal, [], warnings);
    const destinations = project.plan.destinations;
    terminal.out(`${project.specName} is valid (${project.plan.product.name} ${project.plan.product.version})`);
    terminal.out(
      `  manifest: ${project.manifestFile !== undefined ? displayPath(project.manifestFile, context.cwd) : 'none (approved_sinks not checked)'}`,
    );
    terminal.out(
      `  ${destinations.length} destination${destinations.length === 1 ? '' : 's'}${destinations.length > 0 ? ':' : ''}`,
    );
    for (const d of destinations) {
      terminal.out(
        `    ${d.name}: ${d.sourceTable} → ${d.sinkType} (${d.sync.from === 'sync' ? `sync ${d.sync.mode}` : d.disposition}, secret ${d.connectionSecretRef})`,
      );
    }
    return ExitCode.OK;
  } catch (error) {
    return reportUnexpected(terminal, error, context.env);
  } finally {
    await engine.close().catch(() => undefined);
  }
}

/** Registers `validate`. */
export function registerValidate(program: Command, context: CliContext, done: (code: number) => void): void {
  addProjectOptions(program.command('validate'))
    .description('check floe.yaml and its manifest: schema, credentials, approved sinks, sink configs')
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      `
Every problem is printed as "file: path: message". Exit code 0 when valid, 3 otherwise.

Examples:
  $ floe validate
  $ floe validate --spec examples/quickstart/floe.yaml
  $ floe validate --spec floe.yaml --manifest platform/manifest.yaml --json`,
    )
    .action(async (options: ValidateOptions) => done(await validateCommand(options, context)));
}
