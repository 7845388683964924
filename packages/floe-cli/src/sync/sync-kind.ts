import { KEYED_SYNC_MODES, type PlannedSync, type SinkTypeDescriptor } from '@floe/core';

/**
 * How a destination's run finds what to send:
 * - `keyed`: a diff by primary key against the destination's sync state (insert, update, upsert, mirror; a sink
 *   that declares the mode in `capabilities.syncModes` and keeps sync state with its ledger);
 * - `appended`: the rows added since the last synced snapshot (append with `changes_only`);
 * - `all`: every row (replace, `changes_only: false`, or a sink that cannot keep state).
 */
export type SyncKind = 'keyed' | 'appended' | 'all';

/** The {@link SyncKind} of a planned destination on its sink type. */
export function syncKindOf(sync: PlannedSync, descriptor: SinkTypeDescriptor | undefined): SyncKind {
  if (KEYED_SYNC_MODES.includes(sync.mode)) {
    return descriptor?.capabilities?.syncModes?.includes(sync.mode) === true ? 'keyed' : 'all';
  }
  if (sync.mode === 'append' && sync.changesOnly) return 'appended';
  return 'all';
}
