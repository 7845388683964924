import { SYNC_COLUMNS, type SyncDeltaRow } from '@floe/core';
import type { RecordBatch } from 'apache-arrow';
import { DeliveryError } from '../delivery-error.js';

function column(batch: RecordBatch, name: string, required: boolean): { get(i: number): unknown } | undefined {
  const vector = batch.getChild(name) as { get(i: number): unknown } | null;
  if (vector === null && required) {
    throw new DeliveryError(`the change batch has no ${name} column (is it a sync write?)`, 'SYNC_STATE_INVALID', {
      category: 'PERMANENT',
    });
  }
  return vector ?? undefined;
}

/**
 * What the handled rows of a change batch do to the sync state: per row of `rows` (positions in the batch;
 * default every row), its `_floe_key`, its `_floe_fp` (`null` for a `delete` row: the record is forgotten)
 * and its destination id — from `destinationIds` (what the destination answered, by row position), else the
 * batch's `_floe_dest_id`. Leave rejected rows out of `rows`: they stay unsynced.
 *
 * @example
 * ```ts
 * const delta = syncDeltaOf(batch, acceptedRows, new Map([[0, 'crm-17']]));
 * await tracker.committed(planned, { rowsDelivered, rowsRejected, sync: delta });
 * ```
 */
export function syncDeltaOf(
  batch: RecordBatch,
  rows?: Iterable<number>,
  destinationIds?: ReadonlyMap<number, string>,
): SyncDeltaRow[] {
  const op = column(batch, SYNC_COLUMNS.op, true)!;
  const key = column(batch, SYNC_COLUMNS.key, true)!;
  const fp = column(batch, SYNC_COLUMNS.fingerprint, true)!;
  const dest = column(batch, SYNC_COLUMNS.destinationId, false);
  const delta: SyncDeltaRow[] = [];
  const positions = rows ?? Array.from({ length: batch.numRows }, (_, i) => i);
  for (const row of positions) {
    const k = key.get(row);
    if (typeof k !== 'string') {
      throw new DeliveryError(`row ${row} of the change batch has no ${SYNC_COLUMNS.key}`, 'SYNC_STATE_INVALID', {
        category: 'PERMANENT',
      });
    }
    const isDelete = op.get(row) === 'delete';
    const fingerprint = isDelete ? null : fp.get(row);
    if (!isDelete && typeof fingerprint !== 'string') {
      throw new DeliveryError(
        `row ${row} (key ${k}) of the change batch has no ${SYNC_COLUMNS.fingerprint}`,
        'SYNC_STATE_INVALID',
        { category: 'PERMANENT' },
      );
    }
    const destinationId = destinationIds?.get(row) ?? dest?.get(row);
    delta.push({
      key: k,
      fingerprint: fingerprint as string | null,
      ...(typeof destinationId === 'string' && !isDelete && { destinationId }),
    });
  }
  return delta;
}
