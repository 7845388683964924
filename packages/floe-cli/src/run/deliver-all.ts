import { join } from 'node:path';
import type { Sink } from '@floe/core';
import type { RunPlan } from '@floe/delivery';
import { deliverResumable } from '../delivery/deliver-resumable.js';
import type { DestinationRunInput } from '../delivery/plan-deliveries.js';
import type { DeliveryOutcome } from '../egress/deliver.js';
import type { PreparedDestination } from '../egress/prepare-destination.js';
import { RejectTracking, rowJson } from '../egress/reject-tracking.js';
import { RejectedRowsFile } from '../egress/rejected-rows-file.js';
import { ExitCode, worstExitCode } from '../exit-code.js';
import { waitingOptions, WaitWatch } from '../output/wait-watch.js';
import { stateDir } from '../paths.js';
import { receiptRecord } from '../receipts/receipt-record.js';
import { ReceiptStore } from '../receipts/receipt-store.js';
import type { PreparedSync } from '../sync/prepared-sync.js';
import { withoutSyncColumns } from '../sync/failed-files.js';
import { previewDestinations } from './preview-destinations.js';
import type { RunState } from './run-state.js';

/** A sync run's counts on its outcome; rows its diff refused make a delivered run partial (exit 2). */
function withSync(
  outcome: DeliveryOutcome,
  prepared: PreparedDestination,
  sync: PreparedSync | undefined,
): DeliveryOutcome {
  if (sync === undefined) return outcome;
  const refused = sync.rejected.length;
  const partial = refused > 0 && outcome.status === 'delivered';
  return {
    ...outcome,
    ...(partial && { status: 'partial', exitCode: ExitCode.PARTIAL }),
    sync: {
      mode: prepared.planned.sync.mode,
      ...sync.counts,
      refused,
      ...(sync.bytesRead !== undefined && { bytesRead: sync.bytesRead }),
    },
  };
}

/**
 * Delivers the planned destinations one after the other — each with its rejected-rows file, its
 * `--max-rejected` policy and its waiting watch — saves each receipt, and reports the run's end. `--fail-fast`
 * skips the destinations after the first failed one. Returns the run's exit code.
 */
export async function deliverAll(
  state: RunState,
  prepared: PreparedDestination[],
  sinks: Map<string, Sink>,
  plans: ReadonlyMap<string, RunPlan<DestinationRunInput>>,
  syncs: ReadonlyMap<string, PreparedSync> = new Map(),
): Promise<number> {
  const { project, context, options, reporter, runId } = state;
  const store = new ReceiptStore(stateDir(project.paths, context.cwd, options.stateDir), runId);
  const statuses: Record<string, string> = {};
  const outcomes: { prepared: PreparedDestination; outcome: DeliveryOutcome }[] = [];
  let exitCode: ExitCode = ExitCode.OK;
  let wroteReceipt = false;
  reporter.started({ runId, product: project.plan.product, spec: project.paths.specFile, destinations: prepared });
  let firstFailure: string | undefined;
  for (const p of prepared) {
    const sink = sinks.get(p.planned.name);
    if (firstFailure !== undefined) {
      await syncs.get(p.planned.name)?.close();
      statuses[p.planned.name] = 'skipped';
      reporter.skipped(p.planned.name, `--fail-fast: ${firstFailure} failed`);
      continue;
    }
    if (context.signal.aborted || sink === undefined) {
      await syncs.get(p.planned.name)?.close();
      statuses[p.planned.name] = 'skipped';
      reporter.skipped(p.planned.name, 'interrupted');
      continue;
    }
    const rejectedRows = new RejectedRowsFile(
      join(store.runDir, `${p.planned.name}.rejected.jsonl`),
      (row) => rowJson(state.engine.encodeRows(p.sinkConfig, withoutSyncColumns(row), 1)),
      state.redactor,
    );
    const sync = syncs.get(p.planned.name);
    // A sync run's progress (and --max-rejected N%) counts its change rows, not the table's.
    const shown = sync === undefined ? p : { ...p, rows: sync.changeRows };
    for (const refused of sync?.rejected ?? []) rejectedRows.addRefused(refused);
    const rejects = new RejectTracking(rejectedRows, { max: options.maxRejected, sourceRows: shown.rows });
    reporter.destinationStarted(shown);
    const watch = new WaitWatch((waiting) => reporter.waiting(p, waiting), waitingOptions(context.env));
    const delivery = await deliverResumable(p, plans.get(p.planned.name), sink, {
      engine: state.engine,
      signal: context.signal,
      tracer: state.tracer,
      now: context.now,
      onEvent: (event) => {
        if (event.kind === 'retry') return watch.event(event);
        if (event.kind !== 'isolating') return; // a kind of event this CLI does not know yet
        watch.answered(); // the destination is answering: it is checking rows
        reporter.isolating(p, event);
      },
      onProgress: (progress) => {
        watch.answered();
        reporter.progress(shown, progress);
        rejects.onProgress(progress);
      },
      onRejected: rejects.onRejected,
      stop: rejects.signal,
      ...(sync !== undefined && { sync }),
    }).finally(() => watch.stop());
    const outcome: DeliveryOutcome = withSync({ ...delivery, ...rejects.finish(delivery.receipt) }, p, sync);
    const file = store.save(p.planned.name, state.redactor.redactValue(receiptRecord(runId, project.plan, p, outcome)));
    wroteReceipt = true;
    statuses[p.planned.name] = outcome.status;
    if (options.failFast === true && outcome.status === 'failed') firstFailure = p.planned.name;
    exitCode = worstExitCode(exitCode, outcome.exitCode as ExitCode);
    outcomes.push({ prepared: p, outcome });
    reporter.destinationFinished(p, outcome, file);
  }
  if (options.preview !== undefined && options.preview > 0) await previewDestinations(state, outcomes, options.preview);
  reporter.finished({ runId, exitCode, runDir: wroteReceipt ? store.runDir : undefined, statuses });
  return exitCode;
}
