import type { OnDeleteAction, SyncMode } from './sync-settings.js';

/**
 * A write that carries changes instead of a whole table (`WriteOptions.sync`): every batch has the bookkeeping
 * columns of `SYNC_COLUMNS` (`_floe_op`, `_floe_key`, `_floe_fp`, `_floe_dest_id`) besides the source columns.
 * A connector that declares `capabilities.syncModes` applies each row's op, never sends the bookkeeping columns,
 * and records what it did in the sync state with the batch (`SyncDeltaRow`): in the batch's own transaction
 * for a destination ledger (`DeliveryLedger.inTransaction`), or with the batch's commit mark
 * (`CommittedBatch.sync`) for a state store. A row it rejected is not recorded: it stays unsynced and goes out
 * again on the next run.
 *
 * @example
 * ```ts
 * const sync: SyncWrite = { mode: 'mirror', primaryKey: ['customer_id'], onDelete: 'delete' };
 * await connector.write(sink, changes, { sync, delivery });
 * ```
 */
export interface SyncWrite {
  readonly mode: SyncMode;
  /** The record's identity as destination column names (after `field_mapping` and naming). */
  readonly primaryKey: readonly string[];
  /** mirror: what a `delete` row does (`archive`: the sink's soft delete). */
  readonly onDelete: OnDeleteAction;
}

/**
 * What one handled change row does to the sync state: the record `key` was synced with the values whose
 * fingerprint is `fingerprint` (`null`: the record was deleted, forget it).
 */
export interface SyncDeltaRow {
  readonly key: string;
  readonly fingerprint: string | null;
  /** The destination's id of the record, when the destination returned one. */
  readonly destinationId?: string;
}
