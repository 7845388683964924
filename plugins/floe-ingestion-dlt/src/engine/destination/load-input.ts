import type { RecordBatch, Schema, Table } from 'apache-arrow';
import type { EgressData } from '@floe/core';
import { SinkConfigurationError } from '../../errors/sink-configuration-error.js';

/** The input of a load, its first batch read ahead (for the schema). */
export interface LoadInput {
  /** Known up front for a `Table`; else the first batch's. `undefined` for an empty stream. */
  readonly schema: Schema | undefined;
  /** Every batch, the read-ahead one first. */
  readonly batches: AsyncIterable<RecordBatch>;
}

function isTable(data: unknown): data is Table {
  const record = data as { batches?: unknown; schema?: unknown };
  return (
    typeof data === 'object' && data !== null && Array.isArray(record.batches) && typeof record.schema === 'object'
  );
}

/**
 * Opens the input: a `Table` (its batches), or a sync / async iterable of `RecordBatch`. Reads the first
 * batch of a stream ahead. Anything else is misuse and throws a {@link SinkConfigurationError}.
 */
export async function openLoadInput(data: EgressData): Promise<LoadInput> {
  if (isTable(data)) return { schema: data.schema, batches: fromSync(data.batches) };
  const record = data as unknown as Record<symbol, unknown> | null;
  let iterator: AsyncIterator<RecordBatch> | Iterator<RecordBatch>;
  if (record !== null && typeof record === 'object' && typeof record[Symbol.asyncIterator] === 'function') {
    iterator = (data as AsyncIterable<RecordBatch>)[Symbol.asyncIterator]();
  } else if (record !== null && typeof record === 'object' && typeof record[Symbol.iterator] === 'function') {
    iterator = (data as Iterable<RecordBatch>)[Symbol.iterator]();
  } else {
    throw new SinkConfigurationError('write(): data must be an Arrow Table or an iterable of RecordBatch');
  }
  const first = await iterator.next();
  if (first.done) return { schema: undefined, batches: fromSync([]) };
  assertBatch(first.value);
  return { schema: first.value.schema, batches: resume(first.value, iterator) };
}

function assertBatch(value: unknown): asserts value is RecordBatch {
  const record = value as { schema?: unknown; numRows?: unknown; data?: unknown } | null;
  if (
    typeof record !== 'object' ||
    record === null ||
    typeof record.numRows !== 'number' ||
    typeof record.schema !== 'object'
  ) {
    throw new SinkConfigurationError('write(): the data stream must yield Arrow RecordBatch objects');
  }
}

async function* fromSync(batches: readonly RecordBatch[]): AsyncGenerator<RecordBatch> {
  yield* batches;
}

async function* resume(
  first: RecordBatch,
  iterator: AsyncIterator<RecordBatch> | Iterator<RecordBatch>,
): AsyncGenerator<RecordBatch> {
  let finished = false;
  try {
    yield first;
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        finished = true;
        return;
      }
      assertBatch(next.value);
      yield next.value;
    }
  } finally {
    if (!finished) await iterator.return?.();
  }
}
