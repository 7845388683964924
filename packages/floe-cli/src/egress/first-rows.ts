import type { RecordBatch } from 'apache-arrow';
import type { SourceTable } from './engine.js';

/**
 * The first record batches of a table holding at least `limit` rows (fewer when the table is smaller),
 * reading no further than needed.
 */
export async function firstBatches(source: SourceTable, limit: number, signal?: AbortSignal): Promise<RecordBatch[]> {
  const batches: RecordBatch[] = [];
  if (limit <= 0) return batches;
  let rows = 0;
  for await (const batch of source.batches({ ...(signal && { signal }) })) {
    if (batch.numRows === 0) continue;
    batches.push(batch);
    rows += batch.numRows;
    if (rows >= limit) break;
  }
  return batches;
}

/** Batches a destination will send: `ceil(rows / batchSize)`, or one when the batch size is unset. */
export function batchCount(rows: number, batchSize: number | undefined): number {
  if (rows === 0) return 0;
  return batchSize === undefined ? 1 : Math.ceil(rows / batchSize);
}
