import { Option, type Command } from 'commander';
import { SpanStatusCode, trace, context as otelContext } from '@opentelemetry/api';
import { StateStoreHandle } from '@floe/delivery';
import type { CliContext } from '../context.js';
import { stateLocationProblem } from '../delivery/state-location-problem.js';
import { stateStoreLocation } from '../delivery/state-store-location.js';
import { parseMaxRejected } from '../egress/max-rejected.js';
import { ExitCode } from '../exit-code.js';
import { HumanRunReporter } from '../output/human-run-reporter.js';
import { JsonRunReporter } from '../output/json-run-reporter.js';
import type { RunReporter } from '../output/run-reporter.js';
import { reportUnexpected } from '../output/report-unexpected.js';
import { wantsJson } from '../output/output-settings.js';
import { Terminal } from '../output/terminal.js';
import { projectPaths, stateDir } from '../paths.js';
import { newRunId } from '../receipts/run-id.js';
import { runDestinations } from '../run/run-destinations.js';
import type { RunOptions } from '../run/run-options.js';
import { Redactor } from '../secrets/redactor.js';
import { setupTracing } from '../telemetry/setup-tracing.js';
import { CLI_VERSION } from '../version.js';
import { addDestinationOption, addProjectOptions, parseCount } from './common-options.js';
import { parseDuration } from './parse-duration.js';
import { loadForEgress } from './load-for-egress.js';

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
    .option('--full-resync', 'send every row again (not only the changes) and rebuild the sync state')
    .option(
      '--full-scan',
      'diff every row against the sync state, not only the Iceberg files that changed (same result, slower)',
    )
    .option(
      '--allow-mass-delete',
      'let a mirror delete more than sync.max_delete_fraction of the records it synced (an empty source deletes all)',
    )
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

Sync: each run sends only what changed since the last one (sync.mode: append sends the rows added
since the last synced snapshot; insert, update, upsert and mirror diff by primary_key against the
destination's sync state, reading only the Iceberg files that changed). --full-resync sends every row
and rebuilds the state; a mirror never deletes records it did not sync, and refuses to delete more
than sync.max_delete_fraction (default 0.2) of them without --allow-mass-delete.

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
  $ floe egress run --destination crm --full-resync
  $ FLOE_SECRETS_DIR=examples/quickstart/secrets floe egress run --spec examples/quickstart/floe.yaml --preview 5
  $ OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 floe egress run --state-dir /var/lib/floe`,
    )
    .action(async (options: RunOptions) => done(await runCommand(options, context)));
}
