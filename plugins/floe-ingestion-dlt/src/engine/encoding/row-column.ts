import { Type, makeVector, type Data, type Field, type Vector } from 'apache-arrow';
import { bufferView } from '../../internal/arrow-values/bytes-reader.js';
import { decimalText } from '../../internal/arrow-values/decimal-text.js';
import { float32Number, halfToNumber } from '../../internal/arrow-values/half-to-number.js';
import { int64Reader } from '../../internal/arrow-values/int64-reader.js';
import type { TypeParams } from '../../internal/arrow-values/type-params.js';
import { base64, extensionName, uuidText } from './bytes-format.js';
import type { RowsInt64 } from './encoding-options.js';
import { formatDays } from '../../internal/arrow-values/civil-date.js';
import { epochSeconds } from '../../internal/arrow-values/split-epoch.js';
import { TimestampFormatter, formatTimeOfDay } from './temporal-format.js';
import { nullTest, offsetsOf, type IsNull } from '../../internal/arrow-values/validity.js';

function fillValues(n: number, isNull: IsNull, cell: (i: number) => unknown): unknown[] {
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i += 1) out[i] = isNull?.(i) ? null : cell(i);
  return out;
}

function int64Value(value: number | bigint, mode: RowsInt64): unknown {
  if (mode === 'string') return String(value);
  if (mode === 'auto') return Number.isSafeInteger(value) ? value : String(value);
  return BigInt(value);
}

/** Every value of one Arrow column as a plain JavaScript value, by the rules of {@link batchToRows}. */
export function rowColumn(data: Data, field: Field | undefined, int64: RowsInt64): unknown[] {
  const isNull = nullTest(data);
  const n = data.length;
  const type = data.type as unknown as TypeParams;
  const values = data.values;
  switch (type.typeId) {
    case Type.Null:
      return new Array<unknown>(n).fill(null);
    case Type.Bool:
      return fillValues(
        n,
        isNull,
        (i) => ((values[(data.offset + i) >> 3] as number) & (1 << ((data.offset + i) & 7))) !== 0,
      );
    case Type.Int:
    case Type.Duration: {
      if (type.typeId === Type.Int && type.bitWidth !== 64) return fillValues(n, isNull, (i) => values[i]);
      const read = int64Reader(values);
      return fillValues(n, isNull, (i) => int64Value(read(i), int64));
    }
    case Type.Float:
      if (values instanceof Float32Array) return fillValues(n, isNull, (i) => float32Number(values[i] as number));
      if (values instanceof Uint16Array) return fillValues(n, isNull, (i) => halfToNumber(values[i] as number));
      return fillValues(n, isNull, (i) => values[i]);
    case Type.Decimal: {
      const stride = (type.bitWidth ?? 128) / 32;
      return fillValues(n, isNull, (i) => decimalText(values, i, stride, type.scale ?? 0));
    }
    case Type.Date:
      if (values instanceof BigInt64Array)
        return fillValues(n, isNull, (i) => formatDays(Math.floor(Number(values[i]) / 86_400_000)));
      return fillValues(n, isNull, (i) => formatDays(values[i] as number));
    case Type.Time: {
      const read = type.bitWidth === 64 ? int64Reader(values) : undefined;
      return fillValues(n, isNull, (i) => formatTimeOfDay(read ? read(i) : (values[i] as number), type.unit ?? 0));
    }
    case Type.Timestamp: {
      const read = int64Reader(values);
      const unit = type.unit ?? 1;
      const formatter = new TimestampFormatter(unit, type.timezone != null && type.timezone !== '');
      return fillValues(n, isNull, (i) => formatter.format(...epochSeconds(read(i), unit)));
    }
    case Type.Utf8:
    case Type.LargeUtf8: {
      const offsets = offsetsOf(data);
      const bytes = bufferView(values);
      return fillValues(n, isNull, (i) => bytes.toString('utf8', offsets[i], offsets[i + 1]));
    }
    case Type.Binary:
    case Type.LargeBinary: {
      const offsets = offsetsOf(data);
      const bytes = bufferView(values);
      return fillValues(n, isNull, (i) => base64(bytes, offsets[i] as number, offsets[i + 1] as number));
    }
    case Type.FixedSizeBinary: {
      const width = (data.type as unknown as { byteWidth: number }).byteWidth;
      const bytes = bufferView(values);
      const uuid = width === 16 && extensionName(field?.metadata) === 'arrow.uuid';
      return fillValues(n, isNull, (i) =>
        uuid ? uuidText(bytes, i * width) : base64(bytes, i * width, (i + 1) * width),
      );
    }
    default:
      return nestedRowColumn(data, isNull, int64);
  }
}

function nestedRowColumn(data: Data, isNull: IsNull, int64: RowsInt64): unknown[] {
  const n = data.length;
  const fields = (data.type.children ?? []) as Field[];
  switch (data.type.typeId as Type) {
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList: {
      const child = data.children[0] as Data;
      if (data.valueOffsets === undefined || data.valueOffsets === null) {
        const size = (data.type as unknown as { listSize: number }).listSize;
        const items = rowColumn(child.slice(0, n * size), fields[0], int64);
        return fillValues(n, isNull, (i) => items.slice(i * size, (i + 1) * size));
      }
      const offsets = offsetsOf(data);
      const first = offsets[0] as number;
      const items = rowColumn(child.slice(first, (offsets[n] as number) - first), fields[0], int64);
      return fillValues(n, isNull, (i) =>
        items.slice((offsets[i] as number) - first, (offsets[i + 1] as number) - first),
      );
    }
    case Type.Struct: {
      const columns = fields.map((field, j) => rowColumn(data.children[j] as Data, field, int64));
      return fillValues(n, isNull, (i) =>
        Object.fromEntries(fields.map((field, j) => [field.name, (columns[j] as unknown[])[i]])),
      );
    }
    case Type.Map: {
      const offsets = offsetsOf(data);
      const first = offsets[0] as number;
      const entries = (data.children[0] as Data).slice(first, (offsets[n] as number) - first);
      const [keyField, valueField] = entries.type.children as Field[];
      const keys = rowColumn(entries.children[0] as Data, keyField, int64);
      const items = rowColumn(entries.children[1] as Data, valueField, int64);
      return fillValues(n, isNull, (i) => {
        const object: Record<string, unknown> = {};
        for (let k = (offsets[i] as number) - first; k < (offsets[i + 1] as number) - first; k += 1)
          object[String(keys[k])] = items[k];
        return object;
      });
    }
    case Type.Dictionary: {
      const dictionary = data.dictionary as Vector;
      const decoded = dictionary.data.flatMap((chunk) => rowColumn(chunk, undefined, int64));
      const indices = data.values as ArrayLike<number | bigint>;
      return fillValues(n, isNull, (i) => decoded[Number(indices[i])]);
    }
    default: {
      const vector = makeVector(data);
      return fillValues(n, isNull, (i) => vector.get(i) as unknown);
    }
  }
}
