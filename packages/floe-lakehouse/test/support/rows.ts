import { Type, type Data, type Field, type RecordBatch } from 'apache-arrow';

/** A plain JS value for one cell, read from the raw Arrow buffers (independent of the reader). */
export function cell(data: Data, i: number): unknown {
  if (!data.getValid(i)) return null;
  const type = data.type;
  switch (type.typeId) {
    case Type.Int:
    case Type.Float:
      return (data.values as ArrayLike<unknown>)[i];
    case Type.Bool: {
      const pos = data.offset + i;
      return (((data.values as Uint8Array)[pos >> 3] as number) & (1 << (pos & 7))) !== 0;
    }
    case Type.Utf8: {
      const o = data.valueOffsets as Int32Array;
      return Buffer.from((data.values as Uint8Array).subarray(o[i] as number, o[i + 1] as number)).toString('utf8');
    }
    case Type.Binary: {
      const o = data.valueOffsets as Int32Array;
      return Buffer.from((data.values as Uint8Array).subarray(o[i] as number, o[i + 1] as number)).toString('hex');
    }
    case Type.FixedSizeBinary:
      return Buffer.from((data.values as Uint8Array).subarray(i * data.stride, (i + 1) * data.stride)).toString('hex');
    case Type.Decimal: {
      const words = (data.values as Uint32Array).subarray(i * 4, i * 4 + 4);
      let v = 0n;
      for (let w = 3; w >= 0; w--) v = (v << 32n) | BigInt(words[w] as number);
      v = BigInt.asIntN(128, v);
      const scale = (type as unknown as { scale: number }).scale;
      const neg = v < 0n;
      const digits = (neg ? -v : v).toString().padStart(scale + 1, '0');
      return `${neg ? '-' : ''}${digits.slice(0, digits.length - scale)}${scale > 0 ? `.${digits.slice(-scale)}` : ''}`;
    }
    case Type.Date:
      return new Date(Number((data.values as Int32Array)[i]) * 86_400_000).toISOString().slice(0, 10);
    case Type.Time:
    case Type.Timestamp:
      return (data.values as BigInt64Array)[i];
    case Type.List: {
      const o = data.valueOffsets as Int32Array;
      const out: unknown[] = [];
      for (let j = o[i] as number; j < (o[i + 1] as number); j++) out.push(cell(data.children[0] as Data, j));
      return out;
    }
    case Type.Map: {
      const o = data.valueOffsets as Int32Array;
      const entries = data.children[0] as Data;
      const out: Record<string, unknown> = {};
      for (let j = o[i] as number; j < (o[i + 1] as number); j++) {
        out[String(cell(entries.children[0] as Data, j))] = cell(entries.children[1] as Data, j);
      }
      return out;
    }
    case Type.Struct: {
      const out: Record<string, unknown> = {};
      type.children.forEach((f: Field, k: number) => (out[f.name] = cell(data.children[k] as Data, i)));
      return out;
    }
    default:
      throw new Error(`rows helper: unsupported type ${String(type)}`);
  }
}

/** All rows of some batches as plain objects keyed by column name. */
export function rowsOf(batches: readonly RecordBatch[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const batch of batches) {
    for (let i = 0; i < batch.numRows; i++) {
      const row: Record<string, unknown> = {};
      batch.schema.fields.forEach((f, k) => (row[f.name] = cell(batch.data.children[k] as Data, i)));
      rows.push(row);
    }
  }
  return rows;
}

/** Collects an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Sorts rows by a key (numbers, bigints or strings). */
export function sortBy<T extends Record<string, unknown>>(rows: T[], key: string): T[] {
  return [...rows].sort((a, b) => {
    const x = a[key] as number | bigint | string;
    const y = b[key] as number | bigint | string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
