import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { SpanStatusCode, trace, context as otelContext } from '@opentelemetry/api';
import type { Sink } from '@floe/core';
import { StateStoreHandle, type RunPlan } from '@floe/delivery';
import type { CliContext } from '../context.js';
import { connectionValues } from '../egress/connection.js';
import type { DeliveryOutcome } from '../egress/deliver.js';
import { deliverResumable } from '../delivery/deliver-resumable.js';
import { planDeliveries, type DestinationRunInput } from '../delivery/plan-deliveries.js';
import { stateLocationProblem } from '../delivery/state-location-problem.js';
import { stateStoreLocation } from '../delivery/state-store-location.js';
import { describeError, errorCategory } from '../egress/describe-error.js';
import { parseMaxRejected, type MaxRejected } from '../egress/max-rejected.js';
import { RejectTracking, rowJson } from '../egress/reject-tracking.js';
import { RejectedRowsFile } from '../egress/rejected-rows-file.js';
import type { EgressEngine } from '../egress/engine.js';
import { prepareDestination, type PreparedDestination } from '../egress/prepare-destination.js';
import { ExitCode, exitCodeForCategory, worstExitCode } from '../exit-code.js';
import { HumanRunReporter } from '../output/human-run-reporter.js';
import { JsonRunReporter } from '../output/json-run-reporter.js';
import type { RunReporter } from '../output/run-reporter.js';
import { reportUnexpected } from '../output/report-unexpected.js';
import { wantsJson } from '../output/output-settings.js';
import { Terminal } from '../output/terminal.js';
import { waitingOptions, WaitWatch } from '../output/wait-watch.js';
import { projectPaths, stateDir } from '../paths.js';
import type { Project } from '../project/load-project.js';
import { receiptRecord } from '../receipts/receipt-record.js';
import { ReceiptStore } from '../receipts/receipt-store.js';
import { newRunId } from '../receipts/run-id.js';
import { Redactor } from '../secrets/redactor.js';
import { setupTracing } from '../telemetry/setup-tracing.js';
import { CLI_VERSION } from '../version.js';
import { addDestinationOption, addProjectOptions, parseCount, type ProjectOptions } from './common-options.js';
import { parseDuration } from './parse-duration.js';
import { loadForEgress } from './load-for-egress.js';

interface RunOptions extends ProjectOptions {
  readonly destination?: string[];
  readonly json?: boolean;
  readonly stateDir?: string;
  readonly preview?: number;
  readonly trace?: 'console';
  readonly maxRejected?: MaxRejected;
  readonly restart?: boolean;
  readonly stateStore?: string;
  readonly waitLock?: number;
  readonly failFast?: boolean;
}

/** The variable that sets after how long a silent lease holder is presumed dead (ms; default 30 s). */
export const LEASE_TIMEOUT_ENV = 'FLOE_LEASE_TIMEOUT_MS';

function leaseTimeoutMs(env: Readonly<Record<string, string | undefined>>): { timeoutMs?: number } {
  const value = Number(env[LEASE_TIMEOUT_ENV]);
  return env[LEASE_TIMEOUT_ENV] !== undefined && Number.isInteger(value) && value > 0 ? { timeoutMs: value } : {};
}

/**
 * `floe egress run`: for each destination, resolve its secret, open its source table, create the
 * sink, stream the batches into it and save the receipt to `.floe/runs/<run-id>/<destination>.json`.
 * Every destination is checked before any row is sent; a configuration problem anywhere stops the
 * run with exit 3 and nothing written. Exit 0 when all delivered, 2 when rows were rejected, 1 when
 * a delivery failed, 130 when interrupted.
 */
export async function runCommand(options: RunOptions, context: CliContext): Promise<number> {
  // Warnings about short secrets go through the terminal, created next (they come once a secret is read).
  const redactor = new Redactor({ warn: (message) => terminal.err(`warning: ${message}`) });
  const terminal = new Terminal(context.stdout, context.stderr, redactor, context.output, context.env);
  const json = wantsJson(options.json, context.output, context.stdout, true);
  const reporter: RunReporter = json ? new JsonRunReporter(terminal) : new HumanRunReporter(terminal, context.cwd);
  const tracing = setupTracing({
    env: context.env,
    console: options.trace === 'console',
    stream: context.stderr,
    redactor,
    serviceVersion: CLI_VERSION,
  });
  const engine = await context.createEngine({ projectDir: projectPaths(options.spec, context.cwd).baseDir });
  const runId = newRunId(context.now());
  let store: StateStoreHandle | undefined;
  try {
    const loaded = await loadForEgress(options, context, engine, terminal);
    if (!loaded.ok) {
      reporter.problems([...loaded.lines, 'nothing was written']);
      reporter.finished({ runId, exitCode: loaded.exitCode, runDir: undefined, statuses: {} });
      return loaded.exitCode;
    }
    const tracer = trace.getTracer('@floe/cli', CLI_VERSION);
    const root = tracer.startSpan('floe.egress.run', {
      attributes: {
        'floe.run_id': runId,
        'floe.product.name': loaded.project.plan.product.name,
        'floe.product.version': loaded.project.plan.product.version,
        'floe.destinations': loaded.destinations.map((d) => d.name),
      },
    });
    const paths = loaded.project.paths;
    const folder = stateDir(paths, context.cwd, options.stateDir);
    const location = stateStoreLocation(options.stateStore, context.env, folder, redactor);
    const stateProblem = stateLocationProblem({
      stateDirOption: options.stateDir,
      stateDir: folder,
      stateStoreOption: options.stateStore,
      location,
      cwd: context.cwd,
    });
    if (stateProblem !== undefined) {
      root.end();
      reporter.problems([stateProblem, 'nothing was written']);
      reporter.finished({ runId, exitCode: ExitCode.CONFIGURATION, runDir: undefined, statuses: {} });
      return ExitCode.CONFIGURATION;
    }
    terminal.debug(`state store ${location}, receipts in ${folder}`);
    const runStore = new StateStoreHandle(location, { baseDir: context.cwd });
    store = runStore;
    let exitCode = await otelContext.with(trace.setSpan(otelContext.active(), root), () =>
      runDestinations({ ...loaded, runId, engine, context, options, redactor, reporter, tracer, store: runStore }),
    );
    if (context.signal.aborted) exitCode = ExitCode.INTERRUPTED;
    root.setAttribute('floe.exit_code', exitCode);
    root.setStatus(
      exitCode === ExitCode.OK
        ? { code: SpanStatusCode.OK }
        : { code: SpanStatusCode.ERROR, message: `exit ${exitCode}` },
    );
    root.end();
    return exitCode;
  } catch (error) {
    return reportUnexpected(terminal, error, context.env);
  } finally {
    await store?.close();
    await engine.close().catch(() => undefined);
    await tracing.shutdown();
  }
}

interface RunState {
  readonly project: Project;
  readonly destinations: Project['plan']['destinations'][number][];
  readonly runId: string;
  readonly engine: EgressEngine;
  readonly context: CliContext;
  readonly options: RunOptions;
  readonly redactor: Redactor;
  readonly reporter: RunReporter;
  readonly tracer: ReturnType<typeof trace.getTracer>;
  readonly store: StateStoreHandle;
}

async function runDestinations(state: RunState): Promise<number> {
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
    return await deliverAll(state, planning.prepared, sinks, planning.plans);
  } finally {
    for (const sink of sinks.values()) await sink.close().catch(() => undefined);
  }
}

async function deliverAll(
  state: RunState,
  prepared: PreparedDestination[],
  sinks: Map<string, Sink>,
  plans: ReadonlyMap<string, RunPlan<DestinationRunInput>>,
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
      statuses[p.planned.name] = 'skipped';
      reporter.skipped(p.planned.name, `--fail-fast: ${firstFailure} failed`);
      continue;
    }
    if (context.signal.aborted || sink === undefined) {
      statuses[p.planned.name] = 'skipped';
      reporter.skipped(p.planned.name, 'interrupted');
      continue;
    }
    reporter.destinationStarted(p);
    const rejectedRows = new RejectedRowsFile(
      join(store.runDir, `${p.planned.name}.rejected.jsonl`),
      (row) => rowJson(state.engine.encodeRows(p.sinkConfig, row, 1)),
      state.redactor,
    );
    const rejects = new RejectTracking(rejectedRows, { max: options.maxRejected, sourceRows: p.rows });
    const watch = new WaitWatch((waiting) => reporter.waiting(p, waiting), waitingOptions(context.env));
    const delivery = await deliverResumable(p, plans.get(p.planned.name), sink, {
      engine: state.engine,
      signal: context.signal,
      tracer: state.tracer,
      now: context.now,
      onEvent: (event) => watch.event(event),
      onProgress: (progress) => {
        watch.answered();
        reporter.progress(p, progress);
        rejects.onProgress(progress);
      },
      onRejected: rejects.onRejected,
      stop: rejects.signal,
    }).finally(() => watch.stop());
    const outcome: DeliveryOutcome = { ...delivery, ...rejects.finish(delivery.receipt) };
    const file = store.save(p.planned.name, state.redactor.redactValue(receiptRecord(runId, project.plan, p, outcome)));
    wroteReceipt = true;
    statuses[p.planned.name] = outcome.status;
    if (options.failFast === true && outcome.status === 'failed') firstFailure = p.planned.name;
    exitCode = worstExitCode(exitCode, outcome.exitCode as ExitCode);
    outcomes.push({ prepared: p, outcome });
    reporter.destinationFinished(p, outcome, file);
  }
  if (options.preview !== undefined && options.preview > 0) {
    for (const { prepared: p, outcome } of outcomes) {
      if (outcome.status !== 'delivered' && outcome.status !== 'partial') continue;
      const descriptor = state.engine.descriptor(p.planned.sinkType);
      const connection = p.secret ? connectionValues(descriptor, p.secret, project.paths.baseDir) : {};
      const preview =
        descriptor?.readBack === undefined
          ? { ok: false as const, reason: `a ${p.planned.sinkType} destination cannot be read back` }
          : await descriptor.readBack(p.planned.config, connection, options.preview).catch((error: unknown) => ({
              ok: false as const,
              reason: `cannot read it back: ${(error as Error).message}`,
            }));
      reporter.preview(p, preview, options.preview);
    }
  }
  reporter.finished({ runId, exitCode, runDir: wroteReceipt ? store.runDir : undefined, statuses });
  return exitCode;
}

/** Registers `egress run`. */
export function registerRun(egress: Command, context: CliContext, done: (code: number) => void): void {
  addDestinationOption(addProjectOptions(egress.command('run')))
    .description("push each destination's Gold table to its sink and save the receipts")
    .option('--json', 'print JSON lines (the default when stdout is not a terminal)')
    .option('--state-dir <dir>', 'where receipts and the state store go (default: .floe beside floe.yaml)')
    .option(
      '--state-store <url>',
      'where delivery runs are recorded: sqlite:<file> or postgres://… (default: $FLOE_STATE_STORE, else <state-dir>/state.db)',
    )
    .option('--restart', "start new runs instead of resuming each destination's unfinished run")
    .option(
      '--wait-lock <duration>',
      'wait up to this long (30s, 2m) for another run delivering the same destination to end (default: 0, exit 1)',
      parseDuration,
    )
    .option('--fail-fast', 'stop at the first destination that fails: the others are skipped (not started)')
    .option('--preview <n>', 'after the run, print the first n rows of each SQL destination', parseCount)
    .option(
      '--max-rejected <n|n%>',
      'stop a destination once more than n rows (or n% of its source rows) are rejected (exit 1)',
      parseMaxRejected,
    )
    .addOption(new Option('--trace <exporter>', 'also print spans on stderr').choices(['console']))
    .addHelpText(
      'after',
      `
For each destination: resolve the secret, open the source table at its current snapshot, create
the sink, write, and save the receipt to <state-dir>/runs/<run-id>/<destination>.json. Every
destination is checked first: a configuration problem anywhere stops the run before any row is sent.
Ctrl-C stops cleanly between batches (press it twice to force).

Secrets: key K of connection_secret_ref NAME comes from FLOE_SECRET_<NAME>_<K> or from the file
$FLOE_SECRETS_DIR/<name>/<k>. Tracing: OTEL_EXPORTER_OTLP_ENDPOINT (OTLP/HTTP) or --trace console.

Rejected rows (with their reason and their values as sent) go to <state-dir>/runs/<run-id>/
<destination>.rejected.jsonl, one JSON object per line. --max-rejected N (rows) or N% (of the
destination's source rows) stops that destination after the batch that exceeds it: exit 1, and the
receipt says exactly what was delivered.

Runs are resumable: before a batch is sent it is recorded as intended, once acknowledged as committed
(SQL append/merge: in the destination's _floe_ledger table, in the batch's own transaction; otherwise in
the state store). If a destination's newest run is unfinished (killed, failed, interrupted), the next
egress run resumes it on the same source snapshot: committed batches are skipped, intended ones are
re-sent with the same Idempotency-Key. --restart starts over instead; replace always starts over.
See runs with: floe egress runs.

One process at a time delivers a destination: a run holds a lease (with a heartbeat) in the store of
its ledger. Another run of that destination waits --wait-lock, then exits 1 naming the holder. A holder
that stopped heartbeating (killed) is taken over after $FLOE_LEASE_TIMEOUT_MS (default 30000), at
once when it was a process of this host that is gone.

Exit codes: 0 all delivered, 2 partial (rows rejected), 1 failed, 3 configuration, 130 interrupted.

Examples:
  $ floe egress run
  $ floe egress run --spec /srv/product/floe.yaml --destination crm --json
  $ floe egress run --max-rejected 1%
  $ floe egress run -d 'crm_*,dw' --fail-fast
  $ FLOE_STATE_STORE=postgres://floe@ops-db:5432/floe floe egress run --json
  $ floe egress run --destination crm --restart
  $ FLOE_SECRETS_DIR=examples/quickstart/secrets floe egress run --spec examples/quickstart/floe.yaml --preview 5
  $ OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 floe egress run --state-dir /var/lib/floe`,
    )
    .action(async (options: RunOptions) => done(await runCommand(options, context)));
}
