import type { RecordBatch } from 'apache-arrow';
import type { SyncScope, SyncStateMeta, SyncStateStore } from '@floe/core';
import { rowFingerprints } from '@floe/delivery';
import type { PreparedDestination } from '../egress/prepare-destination.js';
import type { PreparedSync } from './prepared-sync.js';
import { SyncError } from './sync-error.js';
import type { SyncPath } from './sync-path.js';

/** What {@link prepareAppended} needs. */
export interface PrepareAppendedOptions {
  readonly store: SyncStateStore;
  readonly scope: SyncScope;
  readonly path: SyncPath;
  readonly meta: SyncStateMeta | undefined;
  readonly settleMeta: { readonly snapshotId: string | null; readonly tableUuid?: string; readonly signature: string };
  readonly signal?: AbortSignal;
}

/**
 * An `append` with `changes_only`: the rows added since the last synced snapshot. An append-only history is an
 * incremental read of the added files; after an overwrite or deletes, the rows of the changed files that were not
 * there before (a multiset difference by the fingerprint of every column), so a row rewritten unchanged is not
 * appended again. When the history cannot tell (snapshots expired, table replaced), the run is refused with the
 * fix: appending every row again would duplicate them.
 */
export async function prepareAppended(
  prepared: PreparedDestination,
  options: PrepareAppendedOptions,
): Promise<PreparedSync> {
  const { source } = prepared;
  const { path, meta } = options;
  const columns = source.schema.fields.map((f) => f.name);
  let data: (signal?: AbortSignal) => AsyncIterable<RecordBatch>;
  let reason: string;
  if (path.path === 'incremental') {
    const { changes } = path;
    reason = changes.reason;
    if (changes.appendOnly) {
      data = (signal) => untag(changes.after(signal ? { signal } : {}));
    } else {
      const removed = new Map<string, number>();
      for await (const { batch } of changes.before(options.signal ? { signal: options.signal } : {}))
        for (const fp of rowFingerprints(batch, columns)) removed.set(fp, (removed.get(fp) ?? 0) + 1);
      data = (signal) => added(changes.after(signal ? { signal } : {}), new Map(removed), columns);
    }
  } else if (meta === undefined || meta.snapshotId === null || path.path === 'full-resync') {
    reason =
      path.path === 'full-resync'
        ? '--full-resync: every row is appended again'
        : meta === undefined
          ? 'no sync state yet (first run): every row is appended'
          : 'the last synced table had no snapshot: every row is appended';
    data = (signal) => source.batches(signal ? { signal } : {});
  } else {
    throw new SyncError(
      `cannot tell which rows were added since the last synced snapshot ${meta.snapshotId} (${path.reason.replace(/: full-scan diff$/, '')}); ` +
        'appending every row again would duplicate them: pass --full-resync to append every row anyway, or set sync.changes_only: false',
      'SYNC_HISTORY_LOST',
    );
  }
  // Every row: the count is the snapshot's (already known, nothing read again); added rows are counted by reading
  // the changed files, which is all an incremental append reads anyway.
  let rows = 0;
  if (path.path !== 'incremental') rows = prepared.rows;
  else for await (const batch of data(options.signal)) rows += batch.numRows;
  const counts = {
    path:
      path.path === 'incremental'
        ? ('incremental' as const)
        : path.path === 'full-resync'
          ? ('full-resync' as const)
          : ('all-rows' as const),
    reason,
    inserts: rows,
    updates: 0,
    deletes: 0,
    unchanged: 0,
  };
  return {
    kind: 'appended',
    counts,
    changeRows: rows,
    write: undefined,
    rejected: [],
    schema: source.schema,
    bytesRead: source.bytesRead?.(),
    data,
    complete: async (runId, status) => {
      if (status !== 'completed') return;
      await options.store.settle(options.scope, { runId, meta: { ...options.settleMeta, failedFiles: [] } });
    },
    close: () => Promise.resolve(),
  };
}

async function* untag(batches: AsyncIterable<{ readonly batch: RecordBatch }>): AsyncGenerator<RecordBatch> {
  for await (const { batch } of batches) yield batch;
}

/** The rows of `after` not matched by a row of `removed` (a multiset difference by fingerprint). */
async function* added(
  after: AsyncIterable<{ readonly batch: RecordBatch }>,
  removed: Map<string, number>,
  columns: readonly string[],
): AsyncGenerator<RecordBatch> {
  for await (const { batch } of after) {
    const keep: number[] = [];
    rowFingerprints(batch, columns).forEach((fp, row) => {
      const left = removed.get(fp) ?? 0;
      if (left > 0) removed.set(fp, left - 1);
      else keep.push(row);
    });
    if (keep.length === batch.numRows) yield batch;
    else yield* slices(batch, keep);
  }
}

/** The rows `rows` (ascending) of `batch`, as zero-copy slices of its contiguous runs. */
function* slices(batch: RecordBatch, rows: readonly number[]): Generator<RecordBatch> {
  let start = -1;
  let previous = -2;
  for (const row of rows) {
    if (row === previous + 1) {
      previous = row;
      continue;
    }
    if (start >= 0) yield batch.slice(start, previous + 1);
    start = row;
    previous = row;
  }
  if (start >= 0) yield batch.slice(start, previous + 1);
}
