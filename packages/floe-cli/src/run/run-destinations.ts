import type { Sink } from '@floe/core';
import { planDeliveries } from '../delivery/plan-deliveries.js';
import { connectionValues } from '../egress/connection.js';
import { describeError, errorCategory } from '../egress/describe-error.js';
import { prepareDestination, type PreparedDestination } from '../egress/prepare-destination.js';
import { ExitCode, exitCodeForCategory, worstExitCode } from '../exit-code.js';
import { deliverAll } from './deliver-all.js';
import { leaseTimeoutMs } from './lease-timeout.js';
import type { RunState } from './run-state.js';

/**
 * The run, before and while delivering: checks every destination (secret, source, mapping, checks), creates
 * every sink, and plans every delivery run (resume or refuse, the lease) before the first row is sent; then
 * delivers them all. Nothing is written when anything is wrong before the first row.
 */
export async function runDestinations(state: RunState): Promise<number> {
  const { project, engine, context, reporter, redactor } = state;
  // 1. Check everything before anything is written.
  const prepared: PreparedDestination[] = [];
  const problemLines: string[] = [];
  let exitCode: ExitCode = ExitCode.OK;
  for (const planned of state.destinations) {
    const preparation = await prepareDestination(planned, {
      project,
      engine,
      secrets: context.secrets,
      redactor,
      signal: context.signal,
    });
    for (const problem of preparation.problems) {
      problemLines.push(...problem.lines);
      exitCode = worstExitCode(exitCode, problem.exitCode as ExitCode);
    }
    if (preparation.prepared && preparation.problems.length === 0) prepared.push(preparation.prepared);
  }
  if (problemLines.length > 0) {
    reporter.problems([...problemLines, 'nothing was written']);
    reporter.finished({ runId: state.runId, exitCode, runDir: undefined, statuses: {} });
    return exitCode;
  }
  // 2. Create every sink (validates each sink's config) before the first write.
  const sinks = new Map<string, Sink>();
  try {
    for (const p of prepared) {
      try {
        const descriptor = engine.descriptor(p.planned.sinkType);
        if (p.secret !== undefined)
          descriptor?.prepareTarget?.(p.planned.config, connectionValues(descriptor, p.secret, project.paths.baseDir), {
            baseDir: project.paths.baseDir,
          });
        sinks.set(p.planned.name, await engine.createSink(p.sinkConfig));
      } catch (error) {
        const exitCode = exitCodeForCategory(errorCategory(error));
        reporter.problems([
          `${project.specName}: destinations[${p.planned.index}]: cannot create the ${p.planned.sinkType} sink: ${describeError(error)}`,
          'nothing was written',
        ]);
        reporter.finished({ runId: state.runId, exitCode, runDir: undefined, statuses: {} });
        return exitCode;
      }
    }
    // 3. Plan each delivery run (resume an unfinished one), still before the first row.
    const planning = await planDeliveries(prepared, sinks, {
      engine,
      store: state.store,
      attemptId: state.runId,
      restart: state.options.restart === true,
      fullResync: state.options.fullResync === true,
      allowMassDelete: state.options.allowMassDelete === true,
      fullScan: state.options.fullScan === true,
      lease: {
        waitMs: state.options.waitLock ?? 0,
        signal: context.signal,
        ...leaseTimeoutMs(context.env),
      },
      prepare: { project, engine, secrets: context.secrets, redactor, signal: context.signal },
    });
    if (!planning.ok) {
      reporter.problems([...planning.lines, 'nothing was written']);
      reporter.finished({ runId: state.runId, exitCode: planning.exitCode, runDir: undefined, statuses: {} });
      return planning.exitCode;
    }
    // 4. Deliver, one destination after the other.
    return await deliverAll(state, planning.prepared, sinks, planning.plans, planning.syncs);
  } finally {
    for (const sink of sinks.values()) await sink.close().catch(() => undefined);
  }
}
