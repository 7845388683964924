import { isIcebergNotFoundError } from '../errors.js';
import type { ContentFile } from '../internal/manifest/read-manifest.js';
import type { NestedField } from '../internal/metadata/iceberg-schema.js';
import { parseSnapshotId, selectSnapshot } from '../internal/metadata/select-snapshot.js';
import { snapshotInfo } from '../internal/metadata/snapshot-info.js';
import type { Snapshot, TableMetadata } from '../internal/metadata/table-metadata.js';
import type { FilePlan, FileScanTask } from '../internal/scan/plan-files.js';
import { throwIfAborted } from '../internal/util/abort.js';
import type { ScanOptions } from '../types.js';
import { checkLineage } from './check-lineage.js';
import { diffFilePlans, newDeletesMiss } from './diff-file-plans.js';
import type { FileBatch, TableChanges } from './table-changes.js';

/** What computing changes needs from the table. */
export interface ChangeSource {
  meta: TableMetadata;
  plan(snapshot: Snapshot, signal?: AbortSignal): Promise<FilePlan>;
  /** Top-level field by id across the table's schemas. */
  fieldById(id: number): NestedField | undefined;
  /** Sorted deleted row positions of a data file under these position delete files (loaded once). */
  positionsFor(dataFile: ContentFile, deletes: readonly ContentFile[], signal?: AbortSignal): Promise<Float64Array>;
  /** Reads tasks with the scan's output shape (the same for both sides), or only `columns` of it. */
  read(tasks: readonly FileScanTask[], signal?: AbortSignal, columns?: readonly string[]): AsyncIterable<FileBatch>;
}

/** Compares snapshot `fromSnapshotId` with the snapshot `options` select (default: current). */
export async function changesSince(
  source: ChangeSource,
  fromSnapshotId: string | bigint,
  options: ScanOptions,
): Promise<TableChanges> {
  throwIfAborted(options.signal);
  const fromId = parseSnapshotId(fromSnapshotId);
  const { meta } = source;
  const to = selectSnapshot(meta, options);
  const selected =
    options.snapshotId !== undefined || options.ref !== undefined || options.asOfTimestampMs !== undefined;
  if (!to) return { incremental: false, reason: 'the table has no current snapshot' };
  const toLabel = `${selected ? 'the selected' : 'the current'} snapshot ${to.snapshotId}`;
  const lineage = checkLineage(meta, fromId, to, toLabel);
  if (!lineage.ok) return { incremental: false, reason: lineage.reason };
  const { from } = lineage;
  const toPlan = await source.plan(to, options.signal);
  let fromPlan = toPlan;
  if (from.snapshotId !== to.snapshotId) {
    try {
      fromPlan = await source.plan(from, options.signal);
    } catch (e) {
      // The snapshot is listed but its manifests are gone (removed orphans, a partial copy): only a
      // full read of `to` can tell what changed.
      if (!isIcebergNotFoundError(e)) throw e;
      return { incremental: false, reason: `the manifests of snapshot ${fromId} cannot be read (${e.message})` };
    }
  }
  const positionsFor = (file: ContentFile, deletes: readonly ContentFile[]): Promise<Float64Array> =>
    source.positionsFor(file, deletes, options.signal);
  const sameRows = newDeletesMiss(positionsFor, source.fieldById);
  const diff = await diffFilePlans(fromPlan, toPlan, sameRows);
  const changed = diff.added.length + diff.removed.length + diff.rewritten.length;
  const reason =
    from.snapshotId === to.snapshotId
      ? `snapshot ${fromId} is ${toLabel}: no data file changed`
      : `snapshot ${to.snapshotId} descends from ${fromId}: ${changed} of ${changed + diff.unchanged} data files changed`;
  return {
    incremental: true,
    reason,
    fromSnapshot: snapshotInfo(from),
    toSnapshot: snapshotInfo(to),
    appendOnly: diff.removed.length === 0 && diff.rewritten.length === 0 && !diff.deleteFileAdded,
    addedFiles: diff.added,
    removedFiles: diff.removed,
    rewrittenFiles: diff.rewritten,
    unchangedFiles: diff.unchanged,
    bytesToRead: diff.bytesToRead,
    bytesTotal: diff.bytesTotal,
    before: (read = {}) => source.read(diff.before, read.signal ?? options.signal, read.columns),
    after: (read = {}) => source.read(diff.after, read.signal ?? options.signal, read.columns),
  };
}
