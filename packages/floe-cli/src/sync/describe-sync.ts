import type { SyncChangeCounts } from '@floe/core';

const integer = new Intl.NumberFormat('en-US');

/**
 * One line saying what a sync run found: `upsert, incremental (snapshot 2 descends from 1: 1 of 4 files
 * changed): 3 inserts, 1 update, 0 deletes, 996 unchanged`.
 *
 * @example
 * ```ts
 * describeChanges('mirror', counts); // 'mirror, full-scan (…): 10 inserts, 0 updates, 2 deletes, 88 unchanged'
 * ```
 */
export function describeChanges(mode: string, counts: SyncChangeCounts): string {
  const n = (count: number, word: string) => `${integer.format(count)} ${word}${count === 1 ? '' : 's'}`;
  return (
    `${mode}, ${counts.path} (${counts.reason}): ${n(counts.inserts, 'insert')}, ${n(counts.updates, 'update')}, ` +
    `${n(counts.deletes, 'delete')}, ${integer.format(counts.unchanged)} unchanged`
  );
}
