import { Type, makeVector, type Data, type Field } from 'apache-arrow';
import { bufferView } from '../../internal/arrow-values/bytes-reader.js';
import { decimalText } from '../../internal/arrow-values/decimal-text.js';
import { float32Number, halfToNumber } from '../../internal/arrow-values/half-to-number.js';
import { int64Reader } from '../../internal/arrow-values/int64-reader.js';
import type { TypeParams } from '../../internal/arrow-values/type-params.js';
import { base64, extensionName, uuidText } from './bytes-format.js';
import type { ResolvedJsonOptions } from './encoding-options.js';
import { jsonFromValue } from './json-from-value.js';
import { doubleText, isSafe } from './numeric-format.js';
import { formatDays } from '../../internal/arrow-values/civil-date.js';
import { epochSeconds } from '../../internal/arrow-values/split-epoch.js';
import { TimestampFormatter, formatTimeOfDay } from './temporal-format.js';
import { fillTexts } from './fill-texts.js';
import { nullTest, offsetsOf, type IsNull } from '../../internal/arrow-values/validity.js';
import { jsonListColumn, jsonMapColumn, jsonStructColumn, jsonDictionaryColumn } from './json-nested.js';

/**
 * The JSON text of every value of one Arrow column (`'null'` for nulls), read straight from the
 * column's buffers: no row objects, no `Date`, exact 64-bit integers, decimals and sub-millisecond time.
 */
export function jsonColumn(data: Data, field: Field | undefined, options: ResolvedJsonOptions): string[] {
  const isNull = nullTest(data);
  const n = data.length;
  const type = data.type as unknown as TypeParams;
  switch (type.typeId) {
    case Type.Null:
      return new Array<string>(n).fill('null');
    case Type.Bool:
      return boolColumn(data, isNull);
    case Type.Int:
      return type.bitWidth === 64
        ? int64Column(data.values, isNull, n, options)
        : fillTexts(n, isNull, (i) => String(data.values[i]));
    case Type.Float:
      return floatColumn(data, isNull);
    case Type.Decimal: {
      const stride = (type.bitWidth ?? 128) / 32;
      const quote = options.decimal === 'string' ? '"' : '';
      return fillTexts(n, isNull, (i) => quote + decimalText(data.values, i, stride, type.scale ?? 0) + quote);
    }
    case Type.Date:
      return dateColumn(data, isNull);
    case Type.Time: {
      const unit = type.unit ?? 0;
      const read = type.bitWidth === 64 ? int64Reader(data.values) : undefined;
      return fillTexts(n, isNull, (i) => `"${formatTimeOfDay(read ? read(i) : (data.values[i] as number), unit)}"`);
    }
    case Type.Timestamp:
      return timestampColumn(data, isNull, type.unit ?? 1, type.timezone != null && type.timezone !== '');
    case Type.Duration:
      return int64Column(data.values, isNull, n, options);
    case Type.Utf8:
    case Type.LargeUtf8: {
      const offsets = offsetsOf(data);
      const bytes = bufferView(data.values);
      return fillTexts(n, isNull, (i) => JSON.stringify(bytes.toString('utf8', offsets[i], offsets[i + 1])));
    }
    case Type.Binary:
    case Type.LargeBinary: {
      const offsets = offsetsOf(data);
      const bytes = bufferView(data.values);
      return fillTexts(n, isNull, (i) => `"${base64(bytes, offsets[i] as number, offsets[i + 1] as number)}"`);
    }
    case Type.FixedSizeBinary: {
      const width = (data.type as unknown as { byteWidth: number }).byteWidth;
      const bytes = bufferView(data.values);
      if (width === 16 && extensionName(field?.metadata) === 'arrow.uuid') {
        return fillTexts(n, isNull, (i) => `"${uuidText(bytes, i * width)}"`);
      }
      return fillTexts(n, isNull, (i) => `"${base64(bytes, i * width, (i + 1) * width)}"`);
    }
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList:
      return jsonListColumn(data, isNull, options, jsonColumn);
    case Type.Struct:
      return jsonStructColumn(data, isNull, options, jsonColumn);
    case Type.Map:
      return jsonMapColumn(data, isNull, options, jsonColumn);
    case Type.Dictionary:
      return jsonDictionaryColumn(data, isNull, options, jsonColumn);
    default: {
      const vector = makeVector(data);
      return fillTexts(n, isNull, (i) => jsonFromValue(vector.get(i), options));
    }
  }
}

function boolColumn(data: Data, isNull: IsNull): string[] {
  const bits = data.values as Uint8Array;
  const offset = data.offset;
  return fillTexts(data.length, isNull, (i) =>
    ((bits[(offset + i) >> 3] as number) & (1 << ((offset + i) & 7))) === 0 ? 'false' : 'true',
  );
}

function int64Column(
  values: BigInt64Array | BigUint64Array,
  isNull: IsNull,
  n: number,
  options: ResolvedJsonOptions,
): string[] {
  const read = int64Reader(values);
  if (options.int64 === 'string') return fillTexts(n, isNull, (i) => `"${String(read(i))}"`);
  if (options.int64 === 'auto') {
    return fillTexts(n, isNull, (i) => {
      const value = read(i);
      return isSafe(value) ? String(value) : `"${String(value)}"`;
    });
  }
  return fillTexts(n, isNull, (i) => String(read(i)));
}

function floatColumn(data: Data, isNull: IsNull): string[] {
  const values = data.values as Float64Array | Float32Array | Uint16Array;
  if (values instanceof Float32Array)
    return fillTexts(data.length, isNull, (i) => doubleText(float32Number(values[i] as number)));
  if (values instanceof Uint16Array)
    return fillTexts(data.length, isNull, (i) => doubleText(halfToNumber(values[i] as number)));
  return fillTexts(data.length, isNull, (i) => doubleText(values[i] as number));
}

function dateColumn(data: Data, isNull: IsNull): string[] {
  const values = data.values as Int32Array | BigInt64Array;
  if (values instanceof BigInt64Array) {
    const read = int64Reader(values);
    return fillTexts(data.length, isNull, (i) => `"${formatDays(Math.floor(Number(read(i)) / 86_400_000))}"`);
  }
  return fillTexts(data.length, isNull, (i) => `"${formatDays(values[i] as number)}"`);
}

function timestampColumn(data: Data, isNull: IsNull, unit: number, utc: boolean): string[] {
  const read = int64Reader(data.values as BigInt64Array);
  const formatter = new TimestampFormatter(unit, utc);
  return fillTexts(data.length, isNull, (i) => {
    const [seconds, fraction] = epochSeconds(read(i), unit);
    return `"${formatter.format(seconds, fraction)}"`;
  });
}
