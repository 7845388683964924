import { makeData, TimestampMicrosecond, Utf8, type Data, type RecordBatch } from 'apache-arrow';
import { SYNC_COLUMNS } from '@floe/core';
import { columnKind, type ColumnKind } from '../column-kind.js';
import { textReader } from '../encode/text-reader.js';
import type { NamedColumn } from '../encode/unrepresentable.js';
import { OP_DELETE, OP_INSERT, OP_UPDATE, OP_UPSERT } from '../dialects/sql-dialect.js';

/** The Arrow type of a `soft_delete_column` (a UTC timestamp, µs): what the sink creates it as. */
export const SOFT_DELETE_TYPE = new TimestampMicrosecond('UTC');

const CODES: Readonly<Record<string, number>> = {
  insert: OP_INSERT,
  update: OP_UPDATE,
  upsert: OP_UPSERT,
  delete: OP_DELETE,
};

/** A change batch's ops: the code of every row, the op column itself, and the rows whose op is unusable. */
export interface BatchOps {
  readonly ops: Uint8Array;
  readonly column: NamedColumn;
  /** Row index → why its op cannot be applied. */
  readonly refused: Map<number, string>;
}

/**
 * Reads the `_floe_op` column of a change batch. A row whose op is missing or unknown, or (without a key) is not
 * `insert`, is refused as that row. Throws when the batch has no `_floe_op` column (not a change batch).
 */
export function readBatchOps(batch: RecordBatch, keyed: boolean): BatchOps {
  const index = batch.schema.fields.findIndex((field) => field.name === SYNC_COLUMNS.op);
  if (index < 0) throw new TypeError(`a sync write's batches must carry the ${SYNC_COLUMNS.op} column`);
  const data = batch.data.children[index] as Data;
  const column: NamedColumn = { name: SYNC_COLUMNS.op, kind: { kind: 'utf8' }, data };
  if (!(data.type instanceof Utf8) && data.dictionary === undefined)
    throw new TypeError(`${SYNC_COLUMNS.op} must be a utf8 column`);
  const read = textReader(data, { kind: 'utf8' }, 'iso');
  const ops = new Uint8Array(batch.numRows);
  const refused = new Map<number, string>();
  for (let row = 0; row < batch.numRows; row++) {
    const op = read(row);
    const code = op === null ? undefined : CODES[op];
    if (code === undefined) refused.set(row, `unknown change op ${JSON.stringify(op)} in ${SYNC_COLUMNS.op}`);
    else if (!keyed && code !== OP_INSERT)
      refused.set(row, `change op "${op}" needs the record's primary key, and the sync has none`);
    else ops[row] = code;
  }
  return { ops, column, refused };
}

/**
 * The `soft_delete_column` of a change batch: `at` (the deletion time) on its `delete` rows, null on the others —
 * so an upsert or update of an archived record clears its mark.
 */
export function softDeleteColumn(name: string, ops: Uint8Array, at: Date): NamedColumn {
  const length = ops.length;
  const values = new BigInt64Array(length);
  const bitmap = new Uint8Array(Math.ceil(length / 8));
  const micros = BigInt(at.getTime()) * 1000n;
  let nullCount = 0;
  for (let row = 0; row < length; row++) {
    if (ops[row] === OP_DELETE) {
      values[row] = micros;
      bitmap[row >> 3] = (bitmap[row >> 3] as number) | (1 << (row & 7));
    } else nullCount++;
  }
  const data = makeData({ type: SOFT_DELETE_TYPE, length, nullCount, nullBitmap: bitmap, data: values });
  return { name, kind: columnKind(SOFT_DELETE_TYPE) as ColumnKind, data: data as Data };
}
