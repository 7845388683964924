import type { RecordBatch } from 'apache-arrow';
import { IngestionError } from '../../errors/ingestion-error.js';
import { batchFromColumns, rechunk } from '../../internal/arrow/rechunk.js';
import type { Destination } from './destination.js';
import type { LoadInput } from './load-input.js';
import { schemaDifference, type TablePlan } from './plan-table.js';

/** The rows per batch of a load: `batchSize` if given, else the destination's; throws unless a whole number ≥ 0. */
export function loadBatchSize(destination: Destination, batchSize: number | undefined): number {
  const size = batchSize ?? destination.batchSize;
  if (!Number.isInteger(size) || size < 0) {
    throw new IngestionError(`batchSize must be a whole number ≥ 0, got ${String(size)}`, {
      category: 'CONFIGURATION',
      code: 'SINK_CONFIGURATION',
      sinkType: destination.sinkType,
      destination: destination.name,
    });
  }
  return size;
}

/**
 * The batches a load hands to its destination: the input's, renamed to the plan's destination-side names
 * (no copy) and re-chunked into `batchSize` rows. Nothing for an empty input (no plan); empty batches are
 * dropped; a batch whose schema differs from the first one's throws (`SCHEMA_CHANGED`).
 */
export function loadBatches(
  input: LoadInput,
  plan: TablePlan | undefined,
  batchSize: number,
): AsyncGenerator<RecordBatch> {
  return rechunk(renamed(input.batches, plan), batchSize);
}

async function* renamed(batches: AsyncIterable<RecordBatch>, plan: TablePlan | undefined): AsyncGenerator<RecordBatch> {
  if (plan === undefined) return;
  const expected = plan.sourceSchema;
  for await (const batch of batches) {
    if (batch.numRows === 0) continue;
    const difference = schemaDifference(expected, batch.schema);
    if (difference !== undefined) {
      throw new IngestionError(`the data changed schema mid-stream: ${difference}`, {
        category: 'CONFIGURATION',
        code: 'SCHEMA_CHANGED',
      });
    }
    yield batchFromColumns(plan.table.arrowSchema, batch.numRows, batch.data.children);
  }
}
