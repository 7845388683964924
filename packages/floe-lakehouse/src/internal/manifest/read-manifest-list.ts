import { IcebergMetadataError } from '../../errors.js';
import { readAvroFile } from '../avro/read-avro-file.js';
import type { FileIO } from '../io/file-io.js';
import type { PathResolver } from '../io/path-resolver.js';
import type { Snapshot } from '../metadata/table-metadata.js';
import { toBigInt, toSafeNumber } from '../util/values.js';

/** One entry of a manifest list (a manifest file of a snapshot). */
export interface ManifestFile {
  /** Location as recorded in the manifest list. */
  path: string;
  /** `undefined` for v1 inline manifests: read from the manifest header. */
  specId: number | undefined;
  content: 'data' | 'deletes';
  sequenceNumber: bigint;
  addedSnapshotId: bigint;
}

function parseEntry(record: Record<string, unknown>, i: number, location: string): ManifestFile {
  try {
    const content =
      record.content === undefined || record.content === null ? 0 : toSafeNumber(record.content, 'content');
    if (content !== 0 && content !== 1) throw new Error(`unknown manifest content ${content}`);
    return {
      path: String(record.manifest_path),
      specId: record.partition_spec_id === undefined ? 0 : toSafeNumber(record.partition_spec_id, 'partition_spec_id'),
      content: content === 0 ? 'data' : 'deletes',
      sequenceNumber:
        record.sequence_number === undefined || record.sequence_number === null
          ? 0n
          : toBigInt(record.sequence_number, 'sequence_number'),
      addedSnapshotId:
        record.added_snapshot_id === undefined || record.added_snapshot_id === null
          ? 0n
          : toBigInt(record.added_snapshot_id, 'added_snapshot_id'),
    };
  } catch (cause) {
    throw new IcebergMetadataError(`Invalid manifest list entry #${i} in ${location}: ${(cause as Error).message}`, {
      location,
      cause,
    });
  }
}

/** Lists the manifests of a snapshot (from its manifest list, or the v1 inline `manifests`). */
export async function readManifestList(
  io: FileIO,
  paths: PathResolver,
  snapshot: Snapshot,
  signal?: AbortSignal,
): Promise<ManifestFile[]> {
  if (snapshot.manifestList === undefined) {
    return (snapshot.manifests ?? []).map((path) => ({
      path,
      specId: undefined,
      content: 'data' as const,
      sequenceNumber: 0n,
      addedSnapshotId: snapshot.snapshotId,
    }));
  }
  const location = paths.resolve(snapshot.manifestList);
  const file = await readAvroFile(await io.readFile(location, signal), location);
  return file.records.map((r, i) => parseEntry(r, i, location));
}
