import type { Data } from 'apache-arrow';
import { int64Reader } from '../../../internal/arrow-values/int64-reader.js';
import type { CellWriter } from './cell-writer.js';
import { splitTimeOfDay } from '../../../internal/arrow-values/split-epoch.js';

/** Microseconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01. */
const PG_EPOCH_MICROS = 946_684_800_000_000;
const PG_EPOCH_DAYS = 10_957;
/** A timestamp PostgreSQL refuses as out of range (one before its minimum). */
const PG_TIMESTAMP_INVALID = -211_813_488_000_000_001n;
const INT64_MIN = -(2n ** 63n);
const TWO_53 = 2 ** 53;

/** Dates as `int32` days since 2000-01-01. */
export function dateWriter(data: Data): CellWriter {
  const dayUnit = (data.type as unknown as { unit: number }).unit === 0;
  const read = dayUnit
    ? (index: number) => (data.values as Int32Array)[index] as number
    : millisToDays(int64Reader(data.values as BigInt64Array));
  return (out, index) => {
    const days = read(index) - PG_EPOCH_DAYS;
    out.int32(4);
    // Below int32: write a value PostgreSQL refuses rather than let it wrap.
    out.int32(days < -2_147_483_647 ? -2_147_483_647 : days);
  };
}

function millisToDays(read: (index: number) => number | bigint): (index: number) => number {
  return (index) => {
    const v = read(index);
    return typeof v === 'number'
      ? Math.floor(v / 86_400_000)
      : Number((v - (((v % 86_400_000n) + 86_400_000n) % 86_400_000n)) / 86_400_000n);
  };
}

const MICROS_PER_UNIT = [1_000_000, 1_000, 1] as const;
const BIG_MICROS_PER_UNIT = [1_000_000n, 1_000n, 1n] as const;

/** Timestamps (zoned or not) as `int64` µs since 2000-01-01. */
export function timestampWriter(data: Data, unit: 0 | 1 | 2 | 3): CellWriter {
  const read = int64Reader(data.values as BigInt64Array);
  const scale = unit === 3 ? 1 : MICROS_PER_UNIT[unit];
  return (out, index) => {
    const v = read(index);
    out.int32(8);
    if (typeof v === 'number') {
      // Exact: nanoseconds are whole microseconds (others were rejected before encoding).
      const micros = unit === 3 ? v / 1000 : v * scale;
      if (micros < TWO_53 && micros > -TWO_53) {
        out.int64(micros - PG_EPOCH_MICROS);
        return;
      }
    }
    const big = unit === 3 ? BigInt(v) / 1000n : BigInt(v) * (BIG_MICROS_PER_UNIT[unit] as bigint);
    const shifted = big - BigInt(PG_EPOCH_MICROS);
    out.bigint64(shifted < INT64_MIN || shifted >= -INT64_MIN ? PG_TIMESTAMP_INVALID : shifted);
  };
}

/** Times of day as `int64` µs. */
export function timeWriter(data: Data, unit: 0 | 1 | 2 | 3): CellWriter {
  const read =
    unit >= 2
      ? int64Reader(data.values as BigInt64Array)
      : (index: number) => (data.values as Int32Array)[index] as number;
  const split = { days: 0, micros: 0, nanos: 0 };
  return (out, index) => {
    out.int32(8);
    out.int64(splitTimeOfDay(read(index), unit, split).micros);
  };
}
