import {
  Bool,
  Int32,
  makeData,
  makeVector,
  Table,
  Utf8,
  vectorFromArray,
  type RecordBatch,
  type Vector,
} from 'apache-arrow';

/**
 * Batches of `{ id: long, name: string, amount: double }` rows for ids `[start, start + count)`;
 * `name` is `name-<id>` followed by `payloadBytes` bytes of padding (built as raw Arrow buffers).
 */
export function* idBatches(start: number, count: number, perBatch = 50_000, payloadBytes = 0): Generator<RecordBatch> {
  const encoder = new TextEncoder();
  for (let off = 0; off < count; off += perBatch) {
    const n = Math.min(perBatch, count - off);
    const ids = new BigInt64Array(n);
    const amounts = new Float64Array(n);
    const heads: Uint8Array[] = [];
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const id = start + off + i;
      ids[i] = BigInt(id);
      amounts[i] = id / 4;
      heads.push(encoder.encode(`name-${id}`));
      offsets[i + 1] = (offsets[i] as number) + (heads[i] as Uint8Array).length + payloadBytes;
    }
    const bytes = new Uint8Array(offsets[n] as number).fill(120);
    heads.forEach((h, i) => bytes.set(h, offsets[i] as number));
    const name = makeVector(makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: bytes }));
    yield new Table({ id: makeVector(ids), name, amount: makeVector(amounts) }).batches[0] as RecordBatch;
  }
}

/** A one-batch table from columns (ints → Int32, strings → Utf8, booleans → Bool). */
export function smallBatch(columns: Record<string, (number | string | boolean | bigint | null)[]>): RecordBatch {
  const vectors: Record<string, Vector> = {};
  for (const [name, values] of Object.entries(columns)) {
    const sample = values.find((v) => v !== null);
    if (typeof sample === 'bigint') vectors[name] = makeVector(BigInt64Array.from(values as bigint[]));
    else if (typeof sample === 'number') vectors[name] = vectorFromArray(values as (number | null)[], new Int32());
    else if (typeof sample === 'boolean') vectors[name] = vectorFromArray(values as (boolean | null)[], new Bool());
    else vectors[name] = vectorFromArray(values as (string | null)[], new Utf8());
  }
  return new Table(vectors).batches[0] as RecordBatch;
}

/** Fields of the `idBatches` table. */
export const ID_FIELDS = [
  { id: 1, name: 'id', required: true, type: 'long' },
  { id: 2, name: 'name', required: false, type: 'string' },
  { id: 3, name: 'amount', required: false, type: 'double' },
];
