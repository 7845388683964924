import { RecordBatch, Schema, makeData, Struct, type Data, type Field } from 'apache-arrow';
import { isSyncColumn, SYNC_COLUMNS, SYNC_OPS, type SyncOp } from '@floe/core';
import { SinkConfigurationError } from '../../errors/sink-configuration-error.js';

/**
 * The batch without its bookkeeping columns (`_floe_*`, see `isSyncColumn`): what a sink may send. The same
 * batch when it has none; otherwise the other columns, unchanged and uncopied.
 *
 * @example
 * ```ts
 * const sent = withoutSyncColumns(changes); // columns: id, email (no _floe_op, _floe_key, _floe_fp, _floe_dest_id)
 * ```
 */
export function withoutSyncColumns(batch: RecordBatch): RecordBatch {
  const keep: number[] = [];
  batch.schema.fields.forEach((field, j) => {
    if (!isSyncColumn(field.name)) keep.push(j);
  });
  return keep.length === batch.schema.fields.length ? batch : columnsAt(batch, keep);
}

/** The batch's columns named `names`, in that order, uncopied (names it does not have are left out). */
export function columnsNamed(batch: RecordBatch, names: readonly string[]): RecordBatch {
  const at = names.map((name) => batch.schema.fields.findIndex((field) => field.name === name));
  return columnsAt(
    batch,
    at.filter((j) => j >= 0),
  );
}

function columnsAt(batch: RecordBatch, at: readonly number[]): RecordBatch {
  const fields = at.map((j) => batch.schema.fields[j] as Field);
  const children = at.map((j) => batch.data.children[j] as Data);
  const data = makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children });
  return new RecordBatch(new Schema(fields, batch.schema.metadata), data);
}

/** The string values of a utf8 bookkeeping column, `undefined` for a null (throws when the column is missing). */
export function syncColumnValues(batch: RecordBatch, name: string): (string | undefined)[] {
  const vector = batch.getChild(name);
  if (vector === null) {
    throw new SinkConfigurationError(`the change batch has no ${name} column (a sync write carries SYNC_COLUMNS)`, {
      issues: [{ path: name, message: 'missing from the change batch' }],
    });
  }
  const values: (string | undefined)[] = new Array<string | undefined>(batch.numRows);
  for (let i = 0; i < batch.numRows; i += 1) {
    const value: unknown = vector.get(i);
    values[i] = value === null || value === undefined ? undefined : String(value);
  }
  return values;
}

/** Each row's op (`_floe_op`); throws a {@link SinkConfigurationError} on a value that is not one of `SYNC_OPS`. */
export function syncOpsOf(batch: RecordBatch): SyncOp[] {
  return syncColumnValues(batch, SYNC_COLUMNS.op).map((op, i) => {
    if (op !== undefined && (SYNC_OPS as readonly string[]).includes(op)) return op as SyncOp;
    throw new SinkConfigurationError(`change row ${i} has no valid ${SYNC_COLUMNS.op}`, {
      issues: [{ path: SYNC_COLUMNS.op, message: `must be one of ${SYNC_OPS.join(', ')}, got ${String(op)}` }],
    });
  });
}
