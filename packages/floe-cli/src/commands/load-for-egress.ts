import type { PlannedDestination, PlatformManifest, SinkTypeDescriptor } from '@floe/core';
import type { CliContext } from '../context.js';
import type { EgressEngine } from '../egress/engine.js';
import { selectDestinations } from '../egress/select-destinations.js';
import { formatIssue } from '@floe/core';
import { ExitCode } from '../exit-code.js';
import { printIssues } from '../output/print-issues.js';
import type { Terminal } from '../output/terminal.js';
import { projectPaths } from '../paths.js';
import { loadProject, type Project } from '../project/load-project.js';
import type { ProjectOptions } from './common-options.js';

/** The engine's sink types once the manifest's `plugins.ingestion` picked between plugins offering one. */
export function sinksFor(engine: EgressEngine, manifest: PlatformManifest | undefined): readonly SinkTypeDescriptor[] {
  engine.select?.(manifest?.plugins?.ingestion?.type);
  return engine.sinks;
}

/**
 * Loads and compiles the project and picks the destinations. Warnings are printed on stderr; problems
 * come back as `file: path: message` lines with exit code 3, for the command to report.
 */
export async function loadForEgress(
  options: ProjectOptions & { readonly destination?: readonly string[] },
  context: CliContext,
  engine: EgressEngine,
  terminal: Terminal,
): Promise<
  { ok: true; project: Project; destinations: PlannedDestination[] } | { ok: false; exitCode: number; lines: string[] }
> {
  const loaded = await loadProject({
    paths: projectPaths(options.spec, context.cwd),
    cwd: context.cwd,
    availableSinks: (manifest) => sinksFor(engine, manifest),
    ...(options.manifest !== undefined && { manifest: options.manifest }),
    strict: context.governance?.strict === true,
  });
  // An installation problem (a plugin that does not load, a sink type offered twice) stops every command.
  if (engine.problems.length > 0) return { ok: false, exitCode: ExitCode.CONFIGURATION, lines: [...engine.problems] };
  if (!loaded.ok) {
    printIssues(terminal, [], loaded.warnings);
    return { ok: false, exitCode: ExitCode.CONFIGURATION, lines: loaded.issues.map(formatIssue) };
  }
  printIssues(terminal, [], loaded.project.warnings);
  const selected = selectDestinations(loaded.project.plan, options.destination);
  if (!selected.ok) return { ok: false, exitCode: ExitCode.CONFIGURATION, lines: [selected.message] };
  if (selected.destinations.length === 0) {
    return {
      ok: false,
      exitCode: ExitCode.CONFIGURATION,
      lines: [`${loaded.project.specName}: destinations: none declared, nothing to do`],
    };
  }
  return { ok: true, project: loaded.project, destinations: selected.destinations };
}
