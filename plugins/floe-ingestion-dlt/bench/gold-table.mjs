import { Bool, Float64, Int64, TimestampMicrosecond, Utf8, makeData, makeVector, vectorFromArray, Table } from 'apache-arrow';

/** The PERFORMANCE.md shape: 8 columns (bigint id, email, name, double, boolean, timestamptz µs, char(2), ~60-char text). */
export function goldTable(n) {
  const ids = BigInt64Array.from({ length: n }, (_, i) => BigInt(i) + 9007199254740000n);
  const ts = BigInt64Array.from({ length: n }, (_, i) => 1714557600000000n + BigInt(i) * 1_000_123n);
  const vec = (type, data) => makeVector(makeData({ type, length: n, nullCount: 0, data }));
  return new Table({
    id: vec(new Int64(), ids),
    email: vectorFromArray(Array.from({ length: n }, (_, i) => `customer${i}@example.com`), new Utf8()),
    name: vectorFromArray(Array.from({ length: n }, (_, i) => `Customer Number ${i}`), new Utf8()),
    balance: vec(new Float64(), Float64Array.from({ length: n }, (_, i) => i * 1.25)),
    active: vectorFromArray(Array.from({ length: n }, (_, i) => i % 3 === 0), new Bool()),
    updated_at: vec(new TimestampMicrosecond('UTC'), ts),
    country: vectorFromArray(Array.from({ length: n }, (_, i) => ['FR', 'DE', 'NO', 'US'][i % 4]), new Utf8()),
    note: vectorFromArray(Array.from({ length: n }, (_, i) => `note ${i}: ${'lorem ipsum dolor sit amet '.repeat(2).slice(0, 50)}`), new Utf8()),
  });
}
