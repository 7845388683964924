import type { ContentFile } from '../internal/manifest/read-manifest.js';
import type { NestedField } from '../internal/metadata/iceberg-schema.js';

const INTEGERS = new Set(['int', 'long', 'date', 'time', 'timestamp', 'timestamptz', 'timestamp_ns', 'timestamptz_ns']);

/** A bound (Iceberg single-value binary form) as something ordered, or undefined when unsure. */
function decode(type: string, bytes: Uint8Array | undefined): bigint | Buffer | undefined {
  if (!bytes) return undefined;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type === 'string') return buffer; // UTF-8 byte order is code point order
  if (!INTEGERS.has(type)) return undefined;
  // int bounds of files written before a promotion to long are 4 bytes
  if (bytes.byteLength === 4) return BigInt(buffer.readInt32LE(0));
  if (bytes.byteLength === 8) return buffer.readBigInt64LE(0);
  return undefined;
}

function compare(a: bigint | Buffer, b: bigint | Buffer): number {
  if (typeof a === 'bigint') return a < (b as bigint) ? -1 : a > (b as bigint) ? 1 : 0;
  return Buffer.compare(a, b as Buffer);
}

/**
 * True when the manifest statistics prove that no row of data file `data` has the key of a row of
 * equality delete file `del`: on one equality column the value ranges are disjoint and a null key
 * cannot match (the delete file or the data file records no null there). Unknown types, missing
 * bounds or counts → false.
 */
export function equalityDeleteMisses(
  del: ContentFile,
  data: ContentFile,
  fieldById: (id: number) => NestedField | undefined,
): boolean {
  return del.equalityIds.some((id) => {
    const field = fieldById(id);
    if (field?.type.kind !== 'primitive') return false;
    if (del.nullValueCounts.get(id) !== 0 && data.nullValueCounts.get(id) !== 0) return false;
    const type = field.type.name;
    const delLower = decode(type, del.lowerBounds.get(id));
    const delUpper = decode(type, del.upperBounds.get(id));
    const dataLower = decode(type, data.lowerBounds.get(id));
    const dataUpper = decode(type, data.upperBounds.get(id));
    if (delLower === undefined || delUpper === undefined || dataLower === undefined || dataUpper === undefined)
      return false;
    if (typeof delLower !== typeof dataLower) return false;
    return compare(delUpper, dataLower) < 0 || compare(delLower, dataUpper) > 0;
  });
}
