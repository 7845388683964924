import {
  Field,
  RecordBatch,
  Schema,
  Struct,
  Table,
  makeData,
  makeVector,
  type DataType,
  type Vector,
} from 'apache-arrow';

/** A validity bitmap from booleans (true = valid). */
export function bitmap(valid: readonly boolean[]): Uint8Array {
  const bits = new Uint8Array(Math.ceil(valid.length / 8) + 1);
  valid.forEach((ok, i) => {
    if (ok) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
  });
  return bits;
}

/**
 * A vector over raw buffers (exact: no builder conversions). `length` defaults to `valid.length`, then to
 * `values.length`; `valid` marks non-null rows.
 */
export function primitive<T extends DataType>(
  type: T,
  values: ArrayBufferView & { length: number },
  options: { length?: number; valid?: readonly boolean[] } = {},
): Vector<T> {
  const length = options.length ?? options.valid?.length ?? values.length;
  const nullCount = options.valid ? options.valid.filter((ok) => !ok).length : 0;
  const init = {
    type,
    length,
    nullCount,
    data: values,
    ...(nullCount > 0 && { nullBitmap: bitmap(options.valid as boolean[]) }),
  };
  return makeVector(makeData(init as never)) as unknown as Vector<T>;
}

/** Little-endian 32-bit words of each value (two's complement), `words` per value. */
export function decimalWords(values: readonly bigint[], words = 4): Uint32Array {
  const out = new Uint32Array(values.length * words);
  values.forEach((value, i) => {
    let v = BigInt.asUintN(words * 32, value);
    for (let w = 0; w < words; w += 1) {
      out[i * words + w] = Number(v & 0xffffffffn);
      v >>= 32n;
    }
  });
  return out;
}

/** A one-batch table from named vectors; `metadata` per column (e.g. the uuid extension name). */
export function tableOf(columns: Record<string, Vector>, metadata: Record<string, Map<string, string>> = {}): Table {
  const fields = Object.entries(columns).map(
    ([name, vector]) => new Field(name, vector.type, true, metadata[name] ?? new Map()),
  );
  const length = Object.values(columns)[0]?.length ?? 0;
  const data = makeData({
    type: new Struct(fields),
    length,
    nullCount: 0,
    children: Object.values(columns).map((vector) => vector.data[0]!),
  });
  return new Table([new RecordBatch(new Schema(fields), data)]);
}

/** Splits a one-batch table into record batches at the given row boundaries (slices). */
export function splitTable(table: Table, cuts: readonly number[]): RecordBatch[] {
  const batch = table.batches[0]!;
  const bounds = [0, ...cuts, table.numRows];
  const out: RecordBatch[] = [];
  for (let k = 0; k + 1 < bounds.length; k += 1) out.push(batch.slice(bounds[k]!, bounds[k + 1]!));
  return out;
}

/** Parses each JSON row text. */
export function parseRows(rows: readonly string[]): unknown[] {
  return rows.map((row) => JSON.parse(row) as unknown);
}
