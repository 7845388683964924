import { RecordBatch, makeData, Struct, type Data, type Schema } from 'apache-arrow';
import { concatData } from './concat-data.js';

/** A record batch over `schema` from column data (no copy). */
export function batchFromColumns(schema: Schema, length: number, children: readonly Data[]): RecordBatch {
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: [...children] }),
  );
}

/** Joins batches of one schema into one (copies buffers; a single batch is returned as is). */
export function concatBatches(batches: readonly RecordBatch[]): RecordBatch {
  const first = batches[0];
  if (first === undefined) throw new RangeError('concatBatches needs at least one batch');
  if (batches.length === 1) return first;
  const length = batches.reduce((sum, batch) => sum + batch.numRows, 0);
  const children = first.schema.fields.map((_, j) =>
    concatData(batches.map((batch) => (batch.data.children[j] as Data).slice(0, batch.numRows))),
  );
  return batchFromColumns(first.schema, length, children);
}

/**
 * Re-chunks a stream of record batches into batches of exactly `size` rows (the last may be smaller);
 * `size` 0 joins everything into one batch. Slices where it can; copies only to join rows that straddle
 * input batches. Empty batches are skipped.
 */
export async function* rechunk(batches: AsyncIterable<RecordBatch>, size: number): AsyncGenerator<RecordBatch> {
  let pending: RecordBatch[] = [];
  let pendingRows = 0;
  for await (const batch of batches) {
    let offset = 0;
    while (offset < batch.numRows) {
      const take = size === 0 ? batch.numRows - offset : Math.min(size - pendingRows, batch.numRows - offset);
      const piece = offset === 0 && take === batch.numRows ? batch : batch.slice(offset, offset + take);
      offset += take;
      if (size !== 0 && pendingRows === 0 && take === size) {
        yield piece;
        continue;
      }
      pending.push(piece);
      pendingRows += take;
      if (size !== 0 && pendingRows === size) {
        yield concatBatches(pending);
        pending = [];
        pendingRows = 0;
      }
    }
  }
  if (pendingRows > 0) yield concatBatches(pending);
}
