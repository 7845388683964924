import { Type, type Data, type RecordBatch } from 'apache-arrow';
import type { IcebergJsonField } from './write-parquet-file.js';

type Value = bigint | number | Buffer;

/** Manifest column statistics of a written file, keyed by field id. */
export interface FileStats {
  lowerBounds: [number, Uint8Array][];
  upperBounds: [number, Uint8Array][];
  nullValueCounts: [number, bigint][];
}

function valueAt(data: Data, i: number): Value | null {
  if (!data.getValid(i)) return null;
  switch (data.type.typeId) {
    case Type.Int:
      return (data.values as BigInt64Array | Int32Array)[i] as bigint | number;
    case Type.Utf8: {
      const o = data.valueOffsets as Int32Array;
      return Buffer.from((data.values as Uint8Array).subarray(o[i] as number, o[i + 1] as number));
    }
    default:
      return null;
  }
}

function compare(a: Value, b: Value): number {
  if (Buffer.isBuffer(a)) return Buffer.compare(a, b as Buffer);
  const x = a as bigint | number;
  const y = b as bigint | number;
  return x < y ? -1 : x > y ? 1 : 0;
}

function serialize(type: string, v: Value): Uint8Array | undefined {
  if (type === 'string') return Buffer.from(v as Buffer);
  const out = Buffer.alloc(type === 'long' ? 8 : 4);
  if (type === 'long') out.writeBigInt64LE(BigInt(v as bigint));
  else if (type === 'int') out.writeInt32LE(Number(v));
  else return undefined;
  return out;
}

/**
 * Collects lower/upper bounds and null counts of the `long`, `int` and `string` columns of the
 * batches a file is written from (columns matched by name), as Iceberg writers record them.
 */
export class ColumnStats {
  private readonly stats = new Map<number, { type: string; min?: Value; max?: Value; nulls: bigint }>();

  constructor(private readonly fields: readonly IcebergJsonField[]) {}

  observe(batch: RecordBatch): void {
    batch.schema.fields.forEach((f, k) => {
      const field = this.fields.find((x) => x.name === f.name);
      if (!field || !['long', 'int', 'string'].includes(field.type as string)) return;
      const s = this.stats.get(field.id) ?? { type: field.type as string, nulls: 0n };
      const data = batch.data.children[k] as Data;
      for (let i = 0; i < batch.numRows; i++) {
        const v = valueAt(data, i);
        if (v === null) s.nulls++;
        else {
          if (s.min === undefined || compare(v, s.min) < 0) s.min = v;
          if (s.max === undefined || compare(v, s.max) > 0) s.max = v;
        }
      }
      this.stats.set(field.id, s);
    });
  }

  /** Wraps batches so each is observed as the writer consumes it. */
  async *tap(batches: Iterable<RecordBatch> | AsyncIterable<RecordBatch>): AsyncGenerator<RecordBatch> {
    for await (const batch of batches) {
      this.observe(batch);
      yield batch;
    }
  }

  result(): FileStats {
    const out: FileStats = { lowerBounds: [], upperBounds: [], nullValueCounts: [] };
    for (const [id, s] of this.stats) {
      out.nullValueCounts.push([id, s.nulls]);
      const lower = s.min === undefined ? undefined : serialize(s.type, s.min);
      const upper = s.max === undefined ? undefined : serialize(s.type, s.max);
      if (lower && upper) {
        out.lowerBounds.push([id, lower]);
        out.upperBounds.push([id, upper]);
      }
    }
    return out;
  }
}
