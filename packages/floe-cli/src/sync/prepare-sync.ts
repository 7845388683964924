import { tmpdir } from 'node:os';
import type { SyncScope, SyncStateStore } from '@floe/core';
import { diffChanges, type DiffResult } from '@floe/delivery';
import type { TaggedBatch } from '../egress/engine.js';
import type { PreparedDestination } from '../egress/prepare-destination.js';
import { prepareAppended } from './prepare-appended.js';
import type { PreparedSync } from './prepared-sync.js';
import { chooseSyncPath, type SyncPath } from './sync-path.js';
import { refusedValues } from './refused-values.js';
import { syncSignature, targetOf } from './sync-signature.js';
import { syncKindOf, type SyncKind } from './sync-kind.js';
import type { EgressEngine } from '../egress/engine.js';

/** What {@link prepareSync} needs besides the destination. */
export interface PrepareSyncOptions {
  readonly engine: EgressEngine;
  /** The sync state kept with the destination's ledger (absent: the run sends every row). */
  readonly store: SyncStateStore | undefined;
  readonly scope: SyncScope;
  /** The unfinished run this attempt resumes: its own pending rows are not folded in before the diff. */
  readonly resumedRunId: string | undefined;
  /**
   * The snapshot the destination's newest run delivered, when that run is a completed sync run: an append
   * continues from it even when the state could not record it (the process died between the two).
   */
  readonly lastCompleted?: string | undefined;
  /**
   * Why the state no longer describes the destination (the ledger's drift check: the table was dropped,
   * recreated or truncated since the last run): the state is dropped and every row compared as on a first run.
   */
  readonly drift?: string | undefined;
  /** `--full-resync`. */
  readonly fullResync: boolean;
  /** `--full-scan`: diff every row, not only the changed files (same result, slower). */
  readonly fullScan?: boolean;
  /** `--allow-mass-delete`. */
  readonly allowMassDelete: boolean;
  /** Where change streams are spooled (default: the OS temp folder). */
  readonly spoolDir?: string;
  /** `egress plan`: nothing is folded or written. */
  readonly readOnly?: boolean;
  readonly signal?: AbortSignal;
}

/** The kind of sync a prepared destination runs (see {@link SyncKind}). */
export function destinationSyncKind(prepared: PreparedDestination, engine: EgressEngine): SyncKind {
  return syncKindOf(prepared.planned.sync, engine.descriptor(prepared.planned.sinkType));
}

/**
 * Prepares a destination's sync run before anything is sent: folds what earlier runs delivered into the state,
 * chooses the path (the Iceberg fast path or a full scan, and why), diffs the source against the state (keyed
 * modes) or finds the rows added since the last synced snapshot (append), and counts inserts, updates, deletes
 * and unchanged rows. `undefined` when the destination sends every row (replace, `changes_only: false`, a sink
 * without sync state). Throws a `DeliveryError` for a mirror run the delete guard refuses.
 */
export async function prepareSync(
  prepared: PreparedDestination,
  options: PrepareSyncOptions,
): Promise<PreparedSync | undefined> {
  const kind = destinationSyncKind(prepared, options.engine);
  const { store } = options;
  if (kind === 'all' || store === undefined) return undefined;
  if (options.readOnly !== true)
    await store.settle(options.scope, {
      ...(options.resumedRunId !== undefined && { exceptRunId: options.resumedRunId }),
    });
  const { planned, source, columns } = prepared;
  const signature = syncSignature(planned.sync, columns, prepared.target);
  let stored = await store.meta(options.scope);
  // A state built for another target (config.table or the URL changed), or for a table dropped since: it says
  // nothing about what this target holds — it is dropped, and the run compares every row as a first run does.
  const reset =
    stored === undefined
      ? undefined
      : targetOf(stored.signature) !== targetOf(signature)
        ? `the target changed since the sync state was built (now ${prepared.target}): the old state is dropped`
        : options.drift !== undefined
          ? `${options.drift}: the sync state is dropped`
          : undefined;
  if (reset !== undefined) {
    if (options.readOnly !== true) await store.reset(options.scope);
    stored = undefined;
  }
  // An append's state is its snapshot: a completed run in the ledger is the truth when the state lags behind it.
  const meta =
    kind === 'appended' && options.lastCompleted !== undefined
      ? {
          ...(stored ?? { signature: '', records: 0, failedFiles: [], updatedAt: '' }),
          snapshotId: options.lastCompleted,
        }
      : stored;
  const chosen = await chooseSyncPath(source, meta, {
    signature: kind === 'appended' ? (meta?.signature ?? signature) : signature,
    fullResync: options.fullResync,
    fullScan: options.fullScan === true,
    ...(options.signal && { signal: options.signal }),
  });
  const path: SyncPath =
    reset === undefined ? chosen : { path: 'full-scan', reason: `${reset}; every row is compared` };
  const settleMeta = {
    snapshotId: source.snapshotId ?? null,
    ...(source.tableUuid !== undefined && { tableUuid: source.tableUuid }),
    signature,
  };
  if (kind === 'appended')
    return prepareAppended(prepared, {
      store,
      scope: options.scope,
      path,
      meta,
      settleMeta,
      ...(options.signal && { signal: options.signal }),
    });

  const failed = meta?.failedFiles ?? [];
  const { current, before, retried } = diffInputs(prepared, path, failed, options.signal);
  const byTarget = new Map(columns.map((c) => [c.source, c.target]));
  const diff: DiffResult = await diffChanges({
    scope: options.scope,
    state: store,
    mode: planned.sync.mode,
    keyColumns: planned.sync.primaryKey,
    valueColumns: columns.map((c) => c.source),
    sentNames: Object.fromEntries(columns.map((c) => [c.source, c.target])),
    schema: source.schema,
    current,
    ...(before !== undefined && { before }),
    ...(retried.length > 0 && { failedFiles: retried }),
    fullResync: path.path === 'full-resync',
    allowMassDelete: options.allowMassDelete,
    maxDeleteFraction: planned.sync.maxDeleteFraction,
    spoolDir: options.spoolDir ?? tmpdir(),
    ...(planned.batchSize !== undefined && { batchSize: planned.batchSize }),
    ...(options.signal && { signal: options.signal }),
  });
  return {
    kind,
    counts: { path: path.path, reason: path.reason, ...diff.counts },
    changeRows: diff.changeRows,
    write: {
      mode: planned.sync.mode,
      primaryKey: planned.sync.primaryKey.map((k) => byTarget.get(k) ?? k),
      onDelete: planned.sync.onDelete,
    },
    rejected: diff.rejected.map((r) => ({
      row: refusedValues(r.values, source.schema),
      key: r.key ?? '',
      reason: r.reason,
      position: r.row,
      ...(r.file !== undefined && { file: r.file }),
    })),
    schema: diff.schema,
    bytesRead: source.bytesRead?.(),
    data: () => diff.changes(),
    complete: async (runId, status, failedFiles) => {
      if (status !== 'completed') return;
      await store.settle(options.scope, {
        runId,
        meta: { ...settleMeta, failedFiles: [...new Set(failedFiles)].sort() },
      });
    },
    close: () => diff.close(),
  };
}

/**
 * The rows a diff reads: every row (full scan), or the changed files' rows before and after — plus, after, the
 * current rows of last run's failed files (they may not have changed; the diff knows their synced rows are no
 * duplicates).
 */
function diffInputs(
  prepared: PreparedDestination,
  path: SyncPath,
  failedFiles: readonly string[],
  signal: AbortSignal | undefined,
): { current: AsyncIterable<TaggedBatch>; before: AsyncIterable<TaggedBatch> | undefined; retried: string[] } {
  const { source } = prepared;
  const at = signal ? { signal } : {};
  if (path.path !== 'incremental' || source.fileBatches === undefined) {
    return { current: everyRow(prepared, signal), before: undefined, retried: [] };
  }
  const { changes } = path;
  const touched = new Set([...changes.addedFiles, ...changes.removedFiles, ...changes.rewrittenFiles]);
  // A failed file the history did not touch is live and unchanged: its rows are read again (a touched one is read
  // anyway, or was removed).
  const retried = failedFiles.filter((file) => !touched.has(file));
  const fileBatches = source.fileBatches.bind(source);
  const extra: AsyncIterable<TaggedBatch> =
    retried.length === 0 ? (async function* () {})() : fileBatches({ files: retried, ...at });
  // The diff needs only the keys of what the changed files held: their other columns are not read.
  const before = changes.before({ ...at, columns: prepared.planned.sync.primaryKey });
  return { current: concat(changes.after(at), extra), before, retried };
}

/** Every row of the pinned snapshot, tagged with its file when the source can tell. */
export function everyRow(prepared: PreparedDestination, signal: AbortSignal | undefined): AsyncIterable<TaggedBatch> {
  const { source } = prepared;
  if (source.fileBatches !== undefined) return source.fileBatches(signal ? { signal } : {});
  return (async function* () {
    for await (const batch of source.batches(signal ? { signal } : {})) yield { file: '', batch };
  })();
}

async function* concat<T>(...parts: AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const part of parts) yield* part;
}
