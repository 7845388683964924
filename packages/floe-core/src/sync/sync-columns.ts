/**
 * The bookkeeping columns a change batch carries when a write has {@link WriteOptions.sync}: what to do with
 * the row, its key and the fingerprint of the values sent. A connector never sends them to the destination;
 * it records them in the sync state with the batch that sent the row (see `SyncDeltaRow`).
 */
export const SYNC_COLUMNS = Object.freeze({
  /** utf8: one of {@link SYNC_OPS}. */
  op: '_floe_op',
  /** utf8: the canonical text of the row's primary-key values (`syncKeyText`). */
  key: '_floe_key',
  /** utf8: the fingerprint of the mapped values sent (hex); null on a `delete` row. */
  fingerprint: '_floe_fp',
  /** utf8: the destination's id of the record when the state knows it (update / delete by id), else null. */
  destinationId: '_floe_dest_id',
} as const);

/**
 * What a change row asks of the destination:
 * - `insert`: a record whose key was never synced (append / insert modes: add it);
 * - `update`: a synced record whose values changed (update only; a record the destination no longer has is skipped);
 * - `upsert`: insert or update by key (upsert / mirror);
 * - `delete`: the record left the source (mirror; only key columns are set).
 */
export const SYNC_OPS = Object.freeze(['insert', 'update', 'upsert', 'delete'] as const);

/** One of {@link SYNC_OPS}. */
export type SyncOp = (typeof SYNC_OPS)[number];

/** True for the bookkeeping columns ({@link SYNC_COLUMNS}): never sent to a destination. */
export function isSyncColumn(name: string): boolean {
  return name.startsWith('_floe_');
}
