import { Type, makeVector, type Data } from 'apache-arrow';
import type { ColumnKind } from '../column-kind.js';
import { dictionaryIndexReader, dictionaryValues } from '../../../internal/arrow-values/dictionary-values.js';
import { bufferView } from '../../../internal/arrow-values/bytes-reader.js';
import { int64Reader } from '../../../internal/arrow-values/int64-reader.js';
import { isPresent, validityOf } from '../../../internal/arrow-values/validity.js';
import { formatDays } from '../../../internal/arrow-values/civil-date.js';
import { decimalText } from '../../../internal/arrow-values/decimal-text.js';
import { halfToNumber } from '../../../internal/arrow-values/half-to-number.js';
import { splitEpoch, splitTimeOfDay } from '../../../internal/arrow-values/split-epoch.js';
import { clockText, timestampText, type TimestampStyle } from './temporal.js';

/** Reads value `index` of a column as text; `null` for a missing value. */
export type TextReader = (index: number) => string | null;

/**
 * A reader of a scalar (not nested) column's values as exact text, straight from the Arrow buffers (no row
 * objects, no JS `Date`): integers of any width, decimals with their scale, floats in shortest round-trip form
 * (`NaN`, `Infinity`, `-0` spelled out), booleans `true`/`false`, binary as lowercase hex, dates `YYYY-MM-DD`,
 * timestamps per `style` with their microseconds (nanoseconds when present). Nested (`json`) columns read as
 * `''`: {@link textReader} sends them to the JSON reader.
 */
export function scalarTextReader(data: Data, kind: ColumnKind, style: TimestampStyle): TextReader {
  let read: (index: number) => string;
  if (data.typeId === Type.Dictionary) {
    const inner = scalarTextReader(dictionaryValues(data), kind, style);
    const indexOf = dictionaryIndexReader(data);
    read = (index) => inner(indexOf(index)) as string;
  } else {
    read = valueText(data, kind, style);
  }
  const bitmap = validityOf(data);
  if (bitmap === undefined) return read;
  const { offset } = data;
  return (index) => (isPresent(bitmap, offset, index) ? read(index) : null);
}

/** Shortest round-trip text of a float, with `-0` kept. */
export function floatText(value: number): string {
  return value === 0 && 1 / value < 0 ? '-0' : String(value);
}

function valueText(data: Data, kind: ColumnKind, style: TimestampStyle): (index: number) => string {
  const values = data.values as unknown;
  switch (kind.kind) {
    case 'int': {
      if (kind.bits < 64) return (index) => String((values as Int32Array)[index]);
      const read = int64Reader(values as BigInt64Array);
      return (index) => String(read(index));
    }
    case 'float': {
      if (kind.bits === 16) return (index) => floatText(halfToNumber((values as Uint16Array)[index] as number));
      return (index) => floatText((values as Float64Array)[index] as number);
    }
    case 'decimal': {
      const stride = (data.type as unknown as { bitWidth: number }).bitWidth / 32;
      return (index) => decimalText(values as Uint32Array, index, stride, kind.scale);
    }
    case 'bool': {
      const { offset } = data;
      return (index) => (isPresent(values as Uint8Array, offset, index) ? 'true' : 'false');
    }
    case 'utf8':
      return utf8Text(data);
    case 'binary':
      return binaryHex(data);
    case 'date':
      return dateText(data);
    case 'timestamp': {
      const read = int64Reader(values as BigInt64Array);
      const zoned = kind.timezone !== undefined;
      const split = { days: 0, micros: 0, nanos: 0 };
      return (index) => timestampText(splitEpoch(read(index), kind.unit, split), zoned, style);
    }
    case 'time': {
      const read =
        kind.unit >= 2
          ? int64Reader(values as BigInt64Array)
          : (index: number) => (values as Int32Array)[index] as number;
      const split = { days: 0, micros: 0, nanos: 0 };
      return (index) => {
        splitTimeOfDay(read(index), kind.unit, split);
        return clockText(split.micros, split.nanos);
      };
    }
    default:
      return () => '';
  }
}

function utf8Text(data: Data): (index: number) => string {
  if (data.typeId === Type.Utf8) {
    const values = data.values as Uint8Array;
    const buffer = bufferView(values);
    const offsets = data.valueOffsets as Int32Array;
    return (index) => buffer.toString('utf8', offsets[index], offsets[index + 1]);
  }
  const vector = makeVector(data);
  return (index) => String(vector.get(index));
}

function binaryHex(data: Data): (index: number) => string {
  const vector = data.typeId === Type.Binary || data.typeId === Type.FixedSizeBinary ? undefined : makeVector(data);
  if (vector !== undefined) return (index) => Buffer.from(vector.get(index) as Uint8Array).toString('hex');
  const buffer = bufferView(data.values as Uint8Array);
  if (data.typeId === Type.FixedSizeBinary) {
    const width = (data.type as unknown as { byteWidth: number }).byteWidth;
    return (index) => buffer.toString('hex', index * width, (index + 1) * width);
  }
  const offsets = data.valueOffsets as Int32Array;
  return (index) => buffer.toString('hex', offsets[index], offsets[index + 1]);
}

function dateText(data: Data): (index: number) => string {
  if (data.type.typeId === Type.Date && (data.type as unknown as { unit: number }).unit === 0) {
    const days = data.values as Int32Array;
    return (index) => formatDays(days[index] as number);
  }
  const read = int64Reader(data.values as BigInt64Array);
  const split = { days: 0, micros: 0, nanos: 0 };
  return (index) => formatDays(splitEpoch(read(index), 1, split).days);
}
