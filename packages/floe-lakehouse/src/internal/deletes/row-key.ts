import { Type, type Data } from 'apache-arrow';
import { IcebergUnsupportedError } from '../../errors.js';

const NULL_CELL = '\u0000';

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Builds a function that encodes row `i` of one column as a string (equal values ⇔ equal strings). */
function cellEncoder(data: Data): (i: number) => string {
  const type = data.type;
  switch (type.typeId) {
    case Type.Bool:
      return (i) =>
        data.getValid(i)
          ? (((data.values as Uint8Array)[(data.offset + i) >> 3] as number) >> ((data.offset + i) & 7)) & 1
            ? 'T'
            : 'F'
          : NULL_CELL;
    case Type.Utf8:
    case Type.Binary: {
      const offsets = data.valueOffsets as Int32Array;
      const values = data.values as Uint8Array;
      return (i) => {
        if (!data.getValid(i)) return NULL_CELL;
        const bytes = values.subarray(offsets[i] as number, offsets[i + 1] as number);
        return `${bytes.length}:${latin1(bytes)}`;
      };
    }
    case Type.Int:
    case Type.Float:
    case Type.Decimal:
    case Type.Date:
    case Type.Time:
    case Type.Timestamp:
    case Type.FixedSizeBinary: {
      const values = data.values as Uint8Array;
      const width = data.stride * values.BYTES_PER_ELEMENT;
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      return (i) => (data.getValid(i) ? `=${latin1(bytes.subarray(i * width, (i + 1) * width))}` : NULL_CELL);
    }
    default:
      throw new IcebergUnsupportedError(
        `equality deletes on ${String(type)} columns`,
        `Equality deletes on columns of type ${String(type)} are not supported`,
      );
  }
}

/**
 * Encodes rows of several columns (already converted to their Iceberg Arrow types) as strings, so
 * equality-delete keys from delete files and data files can be compared. Nulls match nulls, as in
 * the Iceberg spec.
 */
export function rowKeyEncoder(columns: readonly Data[]): (row: number) => string {
  const encoders = columns.map(cellEncoder);
  if (encoders.length === 1) return encoders[0] as (row: number) => string;
  return (row) => encoders.map((e) => e(row)).join('\u0001');
}
