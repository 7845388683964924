import type { RecordBatch } from 'apache-arrow';
import { openTable, type OpenTableOptions } from './open-table.js';
import type { BatchOptions } from './types.js';

/** Options of {@link readTable}: where the table is, plus what to read. */
export type ReadTableOptions = OpenTableOptions & Omit<BatchOptions, 'signal'>;

/**
 * Opens a table and streams it as Arrow record batches in one call.
 *
 * @example
 * let rows = 0;
 * for await (const batch of readTable({ location: '/warehouse/gold/orders', columns: ['id', 'total'] })) {
 *   rows += batch.numRows;
 * }
 */
export async function* readTable(options: ReadTableOptions): AsyncGenerator<RecordBatch, void, undefined> {
  const table = await openTable(options);
  const { snapshotId, asOfTimestampMs, ref, columns, useSnapshotSchema, batchSize, signal } = options;
  yield* table.batches({
    ...(snapshotId !== undefined ? { snapshotId } : {}),
    ...(asOfTimestampMs !== undefined ? { asOfTimestampMs } : {}),
    ...(ref !== undefined ? { ref } : {}),
    ...(columns !== undefined ? { columns } : {}),
    ...(useSnapshotSchema !== undefined ? { useSnapshotSchema } : {}),
    ...(batchSize !== undefined ? { batchSize } : {}),
    ...(signal !== undefined ? { signal } : {}),
  });
}
