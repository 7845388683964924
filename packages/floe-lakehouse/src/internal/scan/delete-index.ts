import type { PartitionSpec } from '../metadata/table-metadata.js';
import { CONTENT_EQUALITY_DELETES, type ContentFile } from '../manifest/read-manifest.js';
import { partitionKey } from './partition-key.js';

/** Field id of `file_path` in position delete files (reserved by the Iceberg spec). */
export const DELETE_FILE_PATH_ID = 2147483546;
/** Field id of `pos` in position delete files. */
export const DELETE_POS_ID = 2147483545;

const isAscii = (s: string): boolean => [...s].every((c) => c.charCodeAt(0) < 0x80);

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(
    Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/** False only when the file_path bounds of a position delete file prove it has no row of `path`. */
function mayReference(del: ContentFile, path: string): boolean {
  if (del.referencedDataFile !== undefined) return del.referencedDataFile === path;
  const lower = del.lowerBounds.get(DELETE_FILE_PATH_ID);
  const upper = del.upperBounds.get(DELETE_FILE_PATH_ID);
  if (!lower || !upper || !isAscii(path)) return true;
  const dec = new TextDecoder();
  if (!isAscii(dec.decode(lower)) || !isAscii(dec.decode(upper))) return true;
  const bytes = new TextEncoder().encode(path);
  return compareBytes(bytes, lower) >= 0 && compareBytes(bytes.subarray(0, upper.length), upper) <= 0;
}

/** Which delete files apply to which data file (Iceberg spec scoping and sequence-number rules). */
export class DeleteIndex {
  private readonly positionByPartition = new Map<string, ContentFile[]>();
  private readonly equalityByPartition = new Map<string, ContentFile[]>();
  private readonly globalEquality: ContentFile[] = [];

  constructor(deleteFiles: readonly ContentFile[], specs: readonly PartitionSpec[]) {
    const unpartitioned = new Set(specs.filter((s) => s.fields.length === 0).map((s) => s.specId));
    const add = (map: Map<string, ContentFile[]>, key: string, file: ContentFile): void => {
      const list = map.get(key);
      if (list) list.push(file);
      else map.set(key, [file]);
    };
    for (const file of deleteFiles) {
      const key = partitionKey(file.specId, file.partition);
      if (file.content === CONTENT_EQUALITY_DELETES) {
        if (unpartitioned.has(file.specId)) this.globalEquality.push(file);
        else add(this.equalityByPartition, key, file);
      } else {
        add(this.positionByPartition, key, file);
      }
    }
  }

  /**
   * Position deletes apply when in the data file's partition, referencing its path and with a data
   * sequence number ≥ the data file's. Equality deletes apply when global (unpartitioned spec) or in
   * the same partition, with a data sequence number strictly greater than the data file's.
   */
  forDataFile(file: ContentFile): { positionDeletes: ContentFile[]; equalityDeletes: ContentFile[] } {
    const key = partitionKey(file.specId, file.partition);
    const positionDeletes = (this.positionByPartition.get(key) ?? []).filter(
      (d) => d.sequenceNumber >= file.sequenceNumber && mayReference(d, file.filePath),
    );
    const equalityDeletes = [...this.globalEquality, ...(this.equalityByPartition.get(key) ?? [])].filter(
      (d) => d.sequenceNumber > file.sequenceNumber,
    );
    return { positionDeletes, equalityDeletes };
  }
}
