import type { PlannedDestination } from '@floe/core';
import type { CliContext } from '../context.js';
import type { EgressEngine } from '../egress/engine.js';
import { reportUnexpected } from '../output/report-unexpected.js';
import { Terminal } from '../output/terminal.js';
import { projectPaths } from '../paths.js';
import type { Project } from '../project/load-project.js';
import { Redactor } from '../secrets/redactor.js';
import type { ProjectOptions } from './common-options.js';
import { loadForEgress } from './load-for-egress.js';

/** What a read-only egress command works with once its project is loaded. */
export interface EgressProject {
  readonly terminal: Terminal;
  readonly redactor: Redactor;
  readonly engine: EgressEngine;
  readonly project: Project;
  readonly destinations: PlannedDestination[];
}

/**
 * The frame of a read-only egress command (`egress plan`, `destination test`): a redacting terminal, the
 * engine of the installed plugins, the project loaded and its destinations selected — a problem there is
 * printed (and, with `--json`, reported as `{destinations: [], problems, exitCode}`) and ends the command —
 * then `body`; an unexpected error is reported, and the engine is always closed.
 */
export async function withEgressProject(
  options: ProjectOptions & { readonly destination?: readonly string[]; readonly json?: boolean },
  context: CliContext,
  body: (loaded: EgressProject) => Promise<number>,
): Promise<number> {
  // Warnings about short secrets go through the terminal, created next (they come once a secret is read).
  const redactor = new Redactor({ warn: (message) => terminal.err(`warning: ${message}`) });
  const terminal = new Terminal(context.stdout, context.stderr, redactor, context.output, context.env);
  const engine = await context.createEngine({ projectDir: projectPaths(options.spec, context.cwd).baseDir });
  try {
    const loaded = await loadForEgress(options, context, engine, terminal);
    if (!loaded.ok) {
      for (const line of loaded.lines) terminal.err(line);
      if (options.json) terminal.json({ destinations: [], problems: loaded.lines, exitCode: loaded.exitCode });
      return loaded.exitCode;
    }
    return await body({ terminal, redactor, engine, project: loaded.project, destinations: loaded.destinations });
  } catch (error) {
    return reportUnexpected(terminal, error, context.env);
  } finally {
    await engine.close().catch(() => undefined);
  }
}
