import type { Command } from 'commander';
import { FLOE_PLUGIN_API_VERSION } from '@floe/core';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-code.js';
import { formatTable } from '../output/format-table.js';
import { reportUnexpected } from '../output/report-unexpected.js';
import { wantsJson } from '../output/output-settings.js';
import { Terminal } from '../output/terminal.js';
import { projectPaths } from '../paths.js';
import { Redactor } from '../secrets/redactor.js';
import { addProjectOptions, type ProjectOptions } from './common-options.js';

interface PluginsOptions extends ProjectOptions {
  readonly json?: boolean;
}

/**
 * `floe plugins`: the plugins discovery finds for floe.yaml's folder (its `node_modules` and every parent's,
 * then the CLI's installation): plugin, version, API compatibility and the sink types each offers. Exit 0
 * when every plugin can be used, 3 when one cannot (a plugin that does not load, an incompatible API
 * version, a sink type offered twice), naming the package.
 */
export async function pluginsCommand(options: PluginsOptions, context: CliContext): Promise<number> {
  const terminal = new Terminal(context.stdout, context.stderr, new Redactor(), context.output, context.env);
  try {
    const engine = await context.createEngine({ projectDir: projectPaths(options.spec, context.cwd).baseDir });
    try {
      const exitCode = engine.problems.length > 0 ? ExitCode.CONFIGURATION : ExitCode.OK;
      if (wantsJson(options.json, context.output, context.stdout, true)) {
        terminal.json({
          platformApiVersion: FLOE_PLUGIN_API_VERSION,
          plugins: engine.plugins,
          problems: engine.problems,
        });
        return exitCode;
      }
      const rows = engine.plugins.map((plugin) => ({
        plugin: `${plugin.type}/${plugin.name}`,
        source: plugin.source,
        api: plugin.apiVersion === undefined ? '-' : `${plugin.apiVersion}${plugin.ok ? ' ✔' : ' ✘'}`,
        'sink types': plugin.sinkTypes.length > 0 ? plugin.sinkTypes.join(', ') : '-',
      }));
      if (rows.length === 0) terminal.out('No floe plugins installed.');
      else for (const line of formatTable(rows, undefined, terminal.width)) terminal.out(line);
      terminal.out(`platform plugin API ${FLOE_PLUGIN_API_VERSION}`);
      for (const problem of engine.problems) terminal.err(problem);
      return exitCode;
    } finally {
      await engine.close().catch(() => undefined);
    }
  } catch (error) {
    return reportUnexpected(terminal, error, context.env);
  }
}

/** Registers `plugins`. */
export function registerPlugins(program: Command, context: CliContext, done: (code: number) => void): void {
  addProjectOptions(program.command('plugins'))
    .description('list the installed floe plugins: version, API compatibility, sink types')
    .option('--json', 'print one JSON object (the default when stdout is not a terminal)')
    .addHelpText(
      'after',
      `
Plugins are packages whose package.json declares "floe": {"plugins": [...]}, found in the node_modules
folders above floe.yaml and in the CLI's own installation. Exit code 0, or 3 when a plugin cannot be used.

Examples:
  $ floe plugins
  $ floe plugins --spec examples/quickstart/floe.yaml --json`,
    )
    .action(async (options: PluginsOptions) => done(await pluginsCommand(options, context)));
}
