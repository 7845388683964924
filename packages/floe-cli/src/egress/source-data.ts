import { Table, type RecordBatch, type Schema } from 'apache-arrow';
import type { EgressData } from '@floe/core';

/**
 * The data of a source for `write()`: its batches, the first one read ahead; a source that yields no batch
 * (a table with no snapshot, or one whose snapshot has no rows) becomes an empty Arrow `Table` of `schema`,
 * so the sink still learns the columns (and creates or empties the target) instead of seeing no schema at all.
 */
export async function sourceData(batches: AsyncIterable<RecordBatch>, schema: Schema): Promise<EgressData> {
  const iterator = batches[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) return new Table(schema);
  return resume(first.value, iterator);
}

async function* resume(first: RecordBatch, iterator: AsyncIterator<RecordBatch>): AsyncGenerator<RecordBatch> {
  let finished = false;
  try {
    yield first;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) await iterator.return?.();
  }
}
