import { ERROR_CATEGORIES, ErrorCategory, FloeError } from '@floe/core';
import type { RecordBatch } from 'apache-arrow';

/**
 * Reading the source table failed while its rows were being delivered (a data file that is missing or corrupt,
 * storage that stopped answering). The message names the table and keeps the reader's own message (which names
 * the file); the category is the reader's (`PERMANENT` when it gives none), the reader's error is the `cause`.
 */
export class SourceReadError extends FloeError {
  /** The destination's `source_table`, as written in floe.yaml. */
  readonly sourceTable: string;

  constructor(sourceTable: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
    super(`cannot read source table "${sourceTable}": ${reason}`, 'SOURCE_READ', {
      category: categoryOf(cause),
      cause,
    });
    this.sourceTable = sourceTable;
  }
}

function categoryOf(cause: unknown): ErrorCategory {
  const category = typeof cause === 'object' && cause !== null ? (cause as { category?: unknown }).category : undefined;
  return ERROR_CATEGORIES.find((known) => known === category) ?? ErrorCategory.PERMANENT;
}

/**
 * The source's batches, each read failure thrown as a {@link SourceReadError} naming `sourceTable` — unless the
 * run was interrupted (`signal` aborted): an interruption stays what it is.
 */
export async function* readSource(
  batches: AsyncIterable<RecordBatch>,
  sourceTable: string,
  signal: AbortSignal,
): AsyncGenerator<RecordBatch> {
  try {
    yield* batches;
  } catch (error) {
    if (signal.aborted) throw error;
    throw new SourceReadError(sourceTable, error);
  }
}
