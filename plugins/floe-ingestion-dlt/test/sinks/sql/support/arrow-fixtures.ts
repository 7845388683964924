import {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  Uint64,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';

/** A validity bitmap (true = present). */
function bitmap(valid: readonly boolean[]): Uint8Array {
  const bits = new Uint8Array(Math.ceil(valid.length / 8) + 1);
  valid.forEach((ok, i) => {
    if (ok) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
  });
  return bits;
}

type NumericArray = Int32Array | BigInt64Array | BigUint64Array;

/** A fixed-width vector over raw values (exact, no builder); `null` entries become nulls. */
export function fixed<T extends DataType>(
  type: T,
  values: readonly (number | bigint | null)[],
  make: (length: number) => NumericArray,
): Vector<T> {
  const data = make(values.length);
  const big = !(data instanceof Int32Array);
  values.forEach((value, i) => {
    (data as unknown as (number | bigint)[])[i] = value ?? (big ? 0n : 0);
  });
  const valid = values.map((value) => value !== null);
  const nullCount = valid.filter((ok) => !ok).length;
  return makeVector(
    makeData({
      type,
      length: values.length,
      nullCount,
      ...(nullCount > 0 && { nullBitmap: bitmap(valid) }),
      data,
    } as never),
  ) as unknown as Vector<T>;
}

/** An Int64 column of exact bigints. */
export const int64 = (values: readonly (bigint | null)[]): Vector<Int64> =>
  fixed(new Int64(), values, (n) => new BigInt64Array(n));
/** A Uint64 column of exact bigints. */
export const uint64 = (values: readonly (bigint | null)[]): Vector<Uint64> =>
  fixed(new Uint64(), values, (n) => new BigUint64Array(n));
/** A µs timestamp column from epoch microseconds (exact). */
export const timestampUs = (
  values: readonly (bigint | null)[],
  timezone: string | null = 'UTC',
): Vector<TimestampMicrosecond> => fixed(new TimestampMicrosecond(timezone), values, (n) => new BigInt64Array(n));
/** A date column from days since the epoch. */
export const dateDays = (values: readonly (number | null)[]): Vector<DateDay> =>
  fixed(new DateDay(), values, (n) => new Int32Array(n));

/** A decimal column from unscaled bigints. */
export function decimal(values: readonly (bigint | null)[], precision: number, scale: number): Vector<Decimal> {
  const words = new Uint32Array(values.length * 4);
  values.forEach((value, i) => {
    let v = BigInt.asUintN(128, value ?? 0n);
    for (let w = 0; w < 4; w += 1) {
      words[i * 4 + w] = Number(v & 0xffffffffn);
      v >>= 32n;
    }
  });
  const valid = values.map((value) => value !== null);
  const nullCount = valid.filter((ok) => !ok).length;
  return makeVector(
    makeData({
      type: new Decimal(scale, precision, 128),
      length: values.length,
      nullCount,
      ...(nullCount > 0 && { nullBitmap: bitmap(valid) }),
      data: words,
    } as never),
  ) as unknown as Vector<Decimal>;
}

/** A column through Arrow's builders (strings, booleans, binary, nested, small ints, floats). */
export function built<T extends DataType>(values: readonly unknown[], type: T): Vector<T> {
  return vectorFromArray(values as never[], type) as unknown as Vector<T>;
}

/** A one-batch table from named columns. */
export function tableOf(columns: Record<string, Vector>): Table {
  const fields = Object.entries(columns).map(([name, vector]) => new Field(name, vector.type, true));
  const length = Object.values(columns)[0]?.length ?? 0;
  const schema = new Schema(fields);
  const children = Object.values(columns).map((vector) => vector.data[0]);
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(fields), length, children, nullCount: 0 } as never) as never,
  );
  return new Table(schema, [batch]);
}

/** The all-types fixture: edge values of every supported type, one row per case. */
export function allTypesTable(): Table {
  return tableOf({
    id: int64([1n, 2n, 3n, 4n, 5n]),
    i64: int64([9223372036854775807n, -9223372036854775808n, 9007199254740993n, null, 0n]),
    u64: uint64([18446744073709551615n, 0n, 9007199254740993n, null, 1n]),
    i32: built([2147483647, -2147483648, 0, null, 7], new Int32()),
    i16: built([32767, -32768, 0, null, 1], new Int16()),
    i8: built([127, -128, 0, null, 1], new Int8()),
    f64: built([1.5, -0.1, 1e300, null, 5e-324], new Float64()),
    f32: built([1.5, -0.25, 3.4028234663852886e38, null, 0], new Float32()),
    dec: decimal([99999999999999999999999999999999999999n, -12345678901234567890123456789n, 1n, null, 0n], 38, 10),
    flag: built([true, false, true, null, false], new Bool()),
    name: built(['plain', 'tab\there\nnew "line" \\ back', 'émoji 🎉 ünïcode', null, ''], new Utf8()),
    day: dateDays([0, 19_675, -1, null, 2_932_896]),
    ts: timestampUs([1_700_000_000_123_456n, 0n, -1n, null, 253_402_300_799_999_999n]),
    naive: timestampUs([1_700_000_000_000_001n, 86_400_000_000n, -86_400_000_000n, null, 1n], null),
    bin: built(
      [Uint8Array.from([0, 1, 2, 255]), new Uint8Array(0), Uint8Array.from([92, 9, 10]), null, Uint8Array.from([39])],
      new Binary(),
    ),
    tags: built([['a', 'b'], [], ['x"y'], null, ['z']], new List(new Field('item', new Utf8(), true))),
    attrs: built(
      [{ n: 1n, s: 'x' }, { n: 9223372036854775807n, s: null }, { n: null, s: 'é' }, null, { n: -1n, s: '' }],
      new Struct([new Field('n', new Int64(), true), new Field('s', new Utf8(), true)]),
    ),
  });
}

/** Expected text of the all-types fixture's µs timestamp `us` (independent of the code under test). */
export function expectedTimestamp(us: bigint, separator = ' '): string {
  const seconds = us / 1_000_000n - (us % 1_000_000n < 0n ? 1n : 0n);
  const micros = us - seconds * 1_000_000n;
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace('T', separator);
  return micros === 0n ? base : `${base}.${String(micros).padStart(6, '0')}`;
}

/** A simple customers table: `n` rows with ids from `first`. */
export function customers(n: number, first = 1, tag = 'v1'): Table {
  const ids: bigint[] = [];
  const names: string[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(BigInt(first + i));
    names.push(`${tag}-customer-${first + i}`);
    scores.push((first + i) * 1.5);
  }
  return tableOf({ customer_id: int64(ids), name: built(names, new Utf8()), score: built(scores, new Float64()) });
}

export { Float64, Int32, Int64, Utf8 };
