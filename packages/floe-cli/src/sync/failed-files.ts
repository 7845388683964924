import type { RecordBatch } from 'apache-arrow';
import { isSyncColumn, SYNC_COLUMNS, type RejectedRows } from '@floe/core';

/** The data file column of a change batch (`_floe_file`): where each change row came from. */
export const FILE_COLUMN = '_floe_file';

/**
 * Collects the data files holding rows a sync run could not deliver, so the next incremental diff reads them
 * again (a row whose file did not change would otherwise never be re-sent).
 */
export class FailedFiles {
  readonly #files = new Set<string>();

  /** Notes the files of a batch's rejected rows (`WriteOptions.onRejected`). */
  rejected(rejected: RejectedRows): void {
    const column = rejected.batch.getChild(FILE_COLUMN);
    const keys = rejected.batch.getChild(SYNC_COLUMNS.key);
    if (column === null || keys === null) return;
    for (const error of rejected.errors) {
      if (error.row === undefined) continue;
      const file: unknown = column.get(error.row - rejected.firstRow);
      if (typeof file === 'string' && file !== '') this.#files.add(file);
    }
  }

  /** Notes one file (a row the diff refused). */
  add(file: string | undefined): void {
    if (file !== undefined && file !== '') this.#files.add(file);
  }

  get files(): string[] {
    return [...this.#files].sort();
  }
}

/** A change batch without its bookkeeping columns (`_floe_*`): the row as the source has it. */
export function withoutSyncColumns(batch: RecordBatch): RecordBatch {
  const names = batch.schema.fields.map((field) => field.name);
  if (!names.some(isSyncColumn)) return batch;
  return batch.select(names.filter((name) => !isSyncColumn(name)));
}
