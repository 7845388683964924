import { Table, type RecordBatch, type Vector } from 'apache-arrow';

/** A one-batch RecordBatch of single-chunk columns, in the given order. */
export function recordBatch(columns: Readonly<Record<string, Vector>>): RecordBatch {
  const batches = new Table(columns as Record<string, Vector>).batches;
  if (batches.length !== 1) throw new Error(`expected one batch, got ${batches.length}`);
  return batches[0]!;
}
