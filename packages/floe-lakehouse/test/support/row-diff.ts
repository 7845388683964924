import { expect } from '@jest/globals';
import type { RecordBatch } from 'apache-arrow';
import type { IcebergTable, IncrementalChanges, TableChanges } from '../../src/index.js';
import { rowsOf } from './rows.js';

/** One row as JSON text (bigints as `<digits>n`), the unit of the multisets compared below. */
export function rowText(row: Record<string, unknown>): string {
  return JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** Rows of `after` not in `before` (added or changed) and of `before` not in `after` (removed or changed), as multisets. */
export function multisetDiff(
  before: readonly string[],
  after: readonly string[],
): { added: string[]; removed: string[] } {
  const counts = new Map<string, number>();
  for (const r of after) counts.set(r, (counts.get(r) ?? 0) + 1);
  for (const r of before) counts.set(r, (counts.get(r) ?? 0) - 1);
  const added: string[] = [];
  const removed: string[] = [];
  for (const [r, n] of counts) {
    for (let i = 0; i < n; i++) added.push(r);
    for (let i = 0; i < -n; i++) removed.push(r);
  }
  return { added: added.sort(), removed: removed.sort() };
}

export async function rowTexts(batches: AsyncIterable<RecordBatch>): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of batches) for (const row of rowsOf([batch])) out.push(rowText(row));
  return out;
}

/** Narrows to an incremental result (fails the test with the reason otherwise). */
export function incremental(changes: TableChanges): IncrementalChanges {
  if (!changes.incremental) throw new Error(`expected incremental changes, got: ${changes.reason}`);
  return changes;
}

/**
 * The diff computed from `before()`/`after()`; also checks every batch is tagged with a file the
 * change lists say that side reads.
 */
export async function diffOfChanges(changes: IncrementalChanges): Promise<{ added: string[]; removed: string[] }> {
  const read = async (
    side: AsyncIterable<{ file: string; batch: RecordBatch }>,
    allowed: readonly string[],
  ): Promise<string[]> => {
    const rows: string[] = [];
    for await (const { file, batch } of side) {
      expect(allowed).toContain(file);
      for (const row of rowsOf([batch])) rows.push(rowText(row));
    }
    return rows;
  };
  const before = await read(changes.before(), [...changes.removedFiles, ...changes.rewrittenFiles]);
  const after = await read(changes.after(), [...changes.addedFiles, ...changes.rewrittenFiles]);
  return multisetDiff(before, after);
}

/** The diff computed independently from two full scans (`batches()`) of one opened table. */
export async function diffOfScans(
  table: IcebergTable,
  fromSnapshotId: bigint,
  columns?: string[],
): Promise<{ added: string[]; removed: string[] }> {
  const cols = columns ? { columns } : {};
  const before = await rowTexts(table.batches({ snapshotId: fromSnapshotId, ...cols }));
  const after = await rowTexts(table.batches(cols));
  return multisetDiff(before, after);
}
