import type { SyncStateMeta } from '@floe/core';
import { signatureChange } from './sync-signature.js';
import type { SourceChanges, SourceTable } from '../egress/engine.js';

/** How a sync run reads its source: every row (with a reason), or only the files that changed. */
export type SyncPath =
  | { readonly path: 'full-scan' | 'full-resync'; readonly reason: string }
  | {
      readonly path: 'incremental';
      readonly reason: string;
      readonly changes: Extract<SourceChanges, { incremental: true }>;
    };

/**
 * Chooses the path of a sync run: the Iceberg fast path when the state was built from a snapshot the pinned one
 * descends from (same table, same signature), else a full scan — and says why.
 */
export async function chooseSyncPath(
  source: SourceTable,
  meta: SyncStateMeta | undefined,
  options: {
    readonly signature: string;
    readonly fullResync: boolean;
    /** `--full-scan`: diff every row even when the history could tell which files changed. */
    readonly fullScan?: boolean;
    readonly signal?: AbortSignal;
  },
): Promise<SyncPath> {
  if (options.fullResync)
    return { path: 'full-resync', reason: '--full-resync: every row is sent again and the sync state is rebuilt' };
  if (options.fullScan === true && meta !== undefined)
    return { path: 'full-scan', reason: '--full-scan: every row is read and compared with the sync state' };
  if (meta === undefined) return { path: 'full-scan', reason: 'no sync state yet (first run): every row is compared' };
  const changed = signatureChange(meta.signature, options.signature);
  if (changed !== undefined)
    return { path: 'full-scan', reason: `${changed} since the state was built: full-scan diff` };
  if (meta.snapshotId === null || source.snapshotId === undefined)
    return { path: 'full-scan', reason: 'the state was built from a table without snapshots: full-scan diff' };
  if (meta.tableUuid !== undefined && source.tableUuid !== undefined && meta.tableUuid !== source.tableUuid)
    return {
      path: 'full-scan',
      reason: `the table was replaced (table-uuid ${meta.tableUuid} → ${source.tableUuid}): full-scan diff`,
    };
  if (source.changesSince === undefined || source.fileBatches === undefined)
    return { path: 'full-scan', reason: 'the source cannot tell which files changed: full-scan diff' };
  const changes = await source.changesSince(meta.snapshotId, options.signal ? { signal: options.signal } : {});
  if (!changes.incremental) return { path: 'full-scan', reason: `${changes.reason}: full-scan diff` };
  return { path: 'incremental', reason: changes.reason, changes };
}
