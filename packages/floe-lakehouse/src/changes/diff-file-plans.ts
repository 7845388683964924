import { CONTENT_EQUALITY_DELETES, type ContentFile } from '../internal/manifest/read-manifest.js';
import type { NestedField } from '../internal/metadata/iceberg-schema.js';
import type { FilePlan, FileScanTask } from '../internal/scan/plan-files.js';
import { equalityDeleteMisses } from './equality-bounds.js';

/** The data files that differ between the plans of two snapshots. */
export interface FileDiff {
  /** Tasks of `to`: added files, then rewritten ones (plan order). */
  after: FileScanTask[];
  /** Tasks of `from`: removed files, then rewritten ones (plan order). */
  before: FileScanTask[];
  added: string[];
  removed: string[];
  rewritten: string[];
  unchanged: number;
  /** A delete file live at `to` is not live at `from`. */
  deleteFileAdded: boolean;
  bytesToRead: number;
  bytesTotal: number;
}

const deletesOf = (t: FileScanTask): Set<string> =>
  new Set([...t.positionDeletes, ...t.equalityDeletes].map((d) => d.filePath));

function sameDeletes(a: FileScanTask, b: FileScanTask): boolean {
  const x = deletesOf(a);
  const y = deletesOf(b);
  return x.size === y.size && [...x].every((p) => y.has(p));
}

/** Data file bytes plus the bytes of every distinct delete file the tasks apply (loaded once per change read). */
function bytesOf(tasks: readonly FileScanTask[]): number {
  const deletes = new Map<string, ContentFile>();
  let n = 0;
  for (const t of tasks) {
    n += t.file.fileSizeInBytes;
    for (const d of [...t.positionDeletes, ...t.equalityDeletes]) deletes.set(d.filePath, d);
  }
  for (const d of deletes.values()) n += d.fileSizeInBytes;
  return n;
}

/**
 * Decides whether a data file whose set of delete files changed still reads the same (e.g. the new
 * position delete files hold no row of it); `false` when unsure.
 */
export type SameRows = (before: FileScanTask, after: FileScanTask) => Promise<boolean>;

/**
 * Compares the live data files of two snapshots by recorded path: added (only at `to`), removed
 * (only at `from`), rewritten (at both, but the delete files applying to it differ and `sameRows`
 * cannot rule out a change) and unchanged.
 */
export async function diffFilePlans(from: FilePlan, to: FilePlan, sameRows: SameRows): Promise<FileDiff> {
  const fromByPath = new Map(from.tasks.map((t) => [t.file.filePath, t]));
  const toPaths = new Set(to.tasks.map((t) => t.file.filePath));
  const added: FileScanTask[] = [];
  const rewrittenAfter: FileScanTask[] = [];
  let unchanged = 0;
  for (const t of to.tasks) {
    const old = fromByPath.get(t.file.filePath);
    if (!old) added.push(t);
    else if (!sameDeletes(old, t) && !(await sameRows(old, t))) rewrittenAfter.push(t);
    else unchanged++;
  }
  const rewrittenPaths = new Set(rewrittenAfter.map((t) => t.file.filePath));
  const removed = from.tasks.filter((t) => !toPaths.has(t.file.filePath));
  const rewrittenBefore = from.tasks.filter((t) => rewrittenPaths.has(t.file.filePath));
  const fromDeletes = new Set(from.deleteFiles.map((d) => d.filePath));
  const before = [...removed, ...rewrittenBefore];
  const after = [...added, ...rewrittenAfter];
  return {
    after,
    before,
    added: added.map((t) => t.file.filePath),
    removed: removed.map((t) => t.file.filePath),
    rewritten: rewrittenAfter.map((t) => t.file.filePath),
    unchanged,
    deleteFileAdded: to.deleteFiles.some((d) => !fromDeletes.has(d.filePath)),
    bytesToRead: bytesOf([...before, ...after]),
    bytesTotal: to.tasks.reduce((n, t) => n + t.file.fileSizeInBytes, 0),
  };
}

/**
 * A {@link SameRows} for added delete files that miss the data file: new equality delete files
 * whose key ranges cannot match its rows (manifest bounds), new position delete files that hold no
 * row of it (`positionsFor` reads them, once). A delete file that went away → changed.
 */
export function newDeletesMiss(
  positionsFor: (dataFile: ContentFile, deletes: readonly ContentFile[]) => Promise<Float64Array>,
  fieldById: (id: number) => NestedField | undefined,
): SameRows {
  return async (before, after) => {
    const old = deletesOf(before);
    const now = [...after.positionDeletes, ...after.equalityDeletes];
    if ([...old].some((p) => !now.some((d) => d.filePath === p))) return false;
    const fresh = now.filter((d) => !old.has(d.filePath));
    const equality = fresh.filter((d) => d.content === CONTENT_EQUALITY_DELETES);
    if (!equality.every((d) => equalityDeleteMisses(d, after.file, fieldById))) return false;
    const positions = fresh.filter((d) => d.content !== CONTENT_EQUALITY_DELETES);
    return positions.length === 0 || (await positionsFor(after.file, positions)).length === 0;
  };
}
