import { IcebergMetadataError, IcebergUnsupportedError } from '../../errors.js';
import type { FileIO } from '../io/file-io.js';
import type { PathResolver } from '../io/path-resolver.js';
import { readManifest, CONTENT_DATA, CONTENT_EQUALITY_DELETES, type ContentFile } from '../manifest/read-manifest.js';
import { readManifestList, type ManifestFile } from '../manifest/read-manifest-list.js';
import type { Snapshot, TableMetadata } from '../metadata/table-metadata.js';
import { mapWithConcurrency } from '../util/abort.js';
import { DeleteIndex } from './delete-index.js';

/** One data file to read, with the delete files that apply to it. */
export interface FileScanTask {
  file: ContentFile;
  /** Where to read the data file (recorded path resolved for moved tables). */
  location: string;
  positionDeletes: ContentFile[];
  equalityDeletes: ContentFile[];
}

export interface FilePlan {
  tasks: FileScanTask[];
  /** Every live delete file of the snapshot. */
  deleteFiles: ContentFile[];
}

function checkSupported(file: ContentFile, isDelete: boolean): void {
  if (file.encrypted) {
    throw new IcebergUnsupportedError('encrypted data files', `Encrypted files are not supported (${file.filePath})`);
  }
  if (isDelete && (file.fileFormat === 'PUFFIN' || file.contentOffset !== undefined)) {
    throw new IcebergUnsupportedError(
      'deletion vectors (Iceberg v3)',
      `Deletion vectors (Iceberg v3, Puffin) are not supported: ${file.filePath}`,
    );
  }
  if (file.fileFormat !== 'PARQUET') {
    const kind = isDelete ? 'delete' : 'data';
    throw new IcebergUnsupportedError(
      `${file.fileFormat} ${kind} files`,
      `Unsupported ${kind} file format ${file.fileFormat} (only Parquet is supported): ${file.filePath}`,
    );
  }
  if (isDelete && file.content === CONTENT_EQUALITY_DELETES && file.equalityIds.length === 0) {
    throw new IcebergMetadataError(`Equality delete file without equality_ids: ${file.filePath}`);
  }
}

/** Manifests read by earlier plans (snapshots share most manifests), by sequence number and path. */
export type ManifestCache = Map<string, Promise<ContentFile[]>>;

/**
 * Plans a snapshot scan: reads the manifest list and manifests (live entries only), checks every
 * file is readable, and attaches to each data file the delete files that apply to it. With `cache`,
 * a manifest another plan already read is not read again.
 */
export async function planFiles(
  io: FileIO,
  paths: PathResolver,
  meta: TableMetadata,
  snapshot: Snapshot | null,
  signal?: AbortSignal,
  cache?: ManifestCache,
): Promise<FilePlan> {
  if (!snapshot) return { tasks: [], deleteFiles: [] };
  const manifests = await readManifestList(io, paths, snapshot, signal);
  const read = (m: ManifestFile): Promise<ContentFile[]> => {
    if (!cache) return readManifest(io, paths, m, signal);
    const key = `${m.sequenceNumber}:${m.path}`;
    let entries = cache.get(key);
    if (!entries) {
      entries = readManifest(io, paths, m, signal);
      cache.set(key, entries);
      entries.catch(() => cache.delete(key));
    }
    return entries;
  };
  const contents = await mapWithConcurrency(manifests, 8, read, signal);
  const dataFiles: ContentFile[] = [];
  const deleteFiles: ContentFile[] = [];
  manifests.forEach((manifest, i) => {
    for (const file of contents[i] ?? []) {
      const isDelete = manifest.content === 'deletes' || file.content !== CONTENT_DATA;
      checkSupported(file, isDelete);
      (isDelete ? deleteFiles : dataFiles).push(file);
    }
  });
  const index = new DeleteIndex(deleteFiles, meta.specs);
  const tasks = dataFiles.map((file) => ({ file, location: paths.resolve(file.filePath), ...index.forDataFile(file) }));
  return { tasks, deleteFiles };
}
