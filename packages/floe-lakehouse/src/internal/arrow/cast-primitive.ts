import { Data, makeVector, Type, TimeUnit, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { IcebergMetadataError } from '../../errors.js';
import type { PrimitiveType } from '../metadata/iceberg-schema.js';
import { formatUuid } from './iceberg-values.js';
import { takeData } from './take-data.js';

type AnyData = Data<DataType>;

function withValues(src: AnyData, type: DataType, values: ArrayBufferView): AnyData {
  return new Data(type, src.offset, src.length, src.nullCount, [undefined, values as never, src.nullBitmap]);
}

function toInt64(src: AnyData, type: DataType): AnyData {
  const values = src.values as ArrayLike<number>;
  const out = new BigInt64Array(src.length);
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < src.length; i++) {
    const v = values[i] as number;
    words[2 * i] = v;
    words[2 * i + 1] = v < 0 ? -1 : 0;
  }
  return withValues(src, type, out);
}

function unitScale(unit: TimeUnit): bigint {
  return unit === TimeUnit.SECOND
    ? 1n
    : unit === TimeUnit.MILLISECOND
      ? 1_000n
      : unit === TimeUnit.MICROSECOND
        ? 1_000_000n
        : 1_000_000_000n;
}

/** Rescales a time / timestamp column between units (floor division when coarsening). */
function rescale(src: AnyData, type: DataType, from: TimeUnit, to: TimeUnit): AnyData {
  const values = src.values as ArrayLike<number | bigint>;
  const out = new BigInt64Array(src.length);
  const f = unitScale(from);
  const t = unitScale(to);
  for (let i = 0; i < src.length; i++) {
    const v = BigInt(values[i] as number | bigint);
    if (t >= f) out[i] = v * (t / f);
    else {
      const d = f / t;
      const q = v / d;
      out[i] = v % d < 0n ? q - 1n : q;
    }
  }
  return withValues(src, type, out);
}

function largeToSmallOffsets(src: AnyData, type: DataType, path: string): AnyData {
  const offsets = src.valueOffsets as unknown as BigInt64Array;
  const out = new Int32Array(src.length + 1);
  for (let i = 0; i <= src.length; i++) {
    const v = Number(offsets[i]);
    if (v > 0x7fffffff)
      throw new IcebergMetadataError(`Column "${path}": a batch holds more than 2 GiB of variable-length data`);
    out[i] = v;
  }
  return new Data(type, src.offset, src.length, src.nullCount, [out, src.values, src.nullBitmap]);
}

function uuidToUtf8(src: AnyData, type: DataType): AnyData {
  const bytes = src.values as Uint8Array;
  const offsets = new Int32Array(src.length + 1);
  const text = new Uint8Array(36 * src.length);
  const encoder = new TextEncoder();
  for (let i = 0; i < src.length; i++) {
    encoder.encodeInto(formatUuid(bytes, 16 * i), text.subarray(36 * i, 36 * i + 36));
    offsets[i + 1] = 36 * (i + 1);
  }
  return new Data(type, src.offset, src.length, src.nullCount, [offsets, text, src.nullBitmap]);
}

function fixedToBinary(src: AnyData, type: DataType): AnyData {
  const width = src.stride;
  const offsets = new Int32Array(src.length + 1);
  for (let i = 0; i <= src.length; i++) offsets[i] = i * width;
  return new Data(type, src.offset, src.length, src.nullCount, [
    offsets,
    (src.values as Uint8Array).subarray(0, src.length * width),
    src.nullBitmap,
  ]);
}

/** Materialises a dictionary-encoded column. */
export function decodeDictionary(src: AnyData): AnyData {
  const dictionary = src.dictionary as Vector | undefined;
  const chunk = dictionary?.data.length === 1 ? dictionary.data[0] : undefined;
  if (!chunk) throw new IcebergMetadataError('Unsupported dictionary-encoded column (dictionary split across chunks)');
  const keys = src.values as ArrayLike<number | bigint>;
  const indices = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) indices[i] = Number(keys[i]);
  const values = takeData(chunk, indices);
  if (src.nullCount === 0) return values;
  return new Data(
    values.type,
    0,
    src.length,
    src.nullCount,
    [values.valueOffsets, values.values, copyBitmap(src)],
    values.children,
  );
}

function copyBitmap(src: AnyData): Uint8Array {
  const out = new Uint8Array(((src.length + 63) & ~63) >> 3);
  for (let i = 0; i < src.length; i++) if (src.getValid(i)) out[i >> 3] = (out[i >> 3] as number) | (1 << (i & 7));
  return out;
}

/** Utf8View / BinaryView (only produced when a writer embedded such an Arrow schema) → Utf8 / Binary. */
function viewToVariable(src: AnyData, type: DataType): AnyData {
  const values = Array.from(makeVector(src) as Iterable<unknown>);
  return vectorFromArray(values, type).data[0] as AnyData;
}

/**
 * Casts one primitive column read from a data file to the Arrow type of its Iceberg type, covering
 * schema evolution (int → long, float → double, decimal precision widening) and writer variants
 * (large strings, dictionaries, other time units, uuid as fixed[16]).
 */
export function castPrimitive(src: AnyData, target: PrimitiveType, type: DataType, path: string): AnyData {
  if (src.type.typeId === Type.Dictionary) return castPrimitive(decodeDictionary(src), target, type, path);
  const s = src.type as DataType & { bitWidth?: number; unit?: TimeUnit; byteWidth?: number; scale?: number };
  const id = s.typeId;
  switch (target.name) {
    case 'boolean':
      if (id === Type.Bool) return src.clone(type);
      break;
    case 'int':
      if (id === Type.Int && s.bitWidth === 32) return src.clone(type);
      if (id === Type.Int && (s.bitWidth ?? 64) < 32)
        return withValues(src, type, Int32Array.from(src.values as ArrayLike<number>));
      break;
    case 'long':
      if (id === Type.Int && s.bitWidth === 64) return src.clone(type);
      if (id === Type.Int && (s.bitWidth ?? 64) <= 32) return toInt64(src, type);
      break;
    case 'float':
      if (id === Type.Float && src.type.ArrayType === Float32Array) return src.clone(type);
      break;
    case 'double':
      if (id === Type.Float && src.type.ArrayType === Float64Array) return src.clone(type);
      if (id === Type.Float && src.type.ArrayType === Float32Array)
        return withValues(src, type, Float64Array.from(src.values as Float32Array));
      break;
    case 'decimal':
      if (id === Type.Decimal && s.scale === target.scale && s.bitWidth === 128) return src.clone(type);
      break;
    case 'date':
      if (id === Type.Date && src.type.ArrayType === Int32Array) return src.clone(type);
      if (id === Type.Date) {
        return withValues(
          src,
          type,
          Int32Array.from(src.values as BigInt64Array, (ms) => Number(ms / 86_400_000n)),
        );
      }
      break;
    case 'time':
    case 'timestamp':
    case 'timestamptz':
    case 'timestamp_ns':
    case 'timestamptz_ns': {
      const wanted = target.name === 'time' ? Type.Time : Type.Timestamp;
      const unit = target.name.endsWith('_ns') ? TimeUnit.NANOSECOND : TimeUnit.MICROSECOND;
      if (id === wanted && s.unit === unit) return src.clone(type);
      if (id === wanted && s.unit !== undefined) return rescale(src, type, s.unit, unit);
      break;
    }
    case 'string':
      if (id === Type.Utf8 || id === Type.Binary) return src.clone(type);
      if (id === Type.LargeUtf8 || id === Type.LargeBinary) return largeToSmallOffsets(src, type, path);
      if (id === Type.Utf8View) return viewToVariable(src, type);
      break;
    case 'uuid':
      if (id === Type.FixedSizeBinary && s.byteWidth === 16) return uuidToUtf8(src, type);
      if (id === Type.Utf8) return src.clone(type);
      if (id === Type.LargeUtf8) return largeToSmallOffsets(src, type, path);
      break;
    case 'fixed':
      if (id === Type.FixedSizeBinary && s.byteWidth === target.length) return src.clone(type);
      break;
    case 'binary':
      if (id === Type.Binary) return src.clone(type);
      if (id === Type.LargeBinary) return largeToSmallOffsets(src, type, path);
      if (id === Type.FixedSizeBinary) return fixedToBinary(src, type);
      if (id === Type.BinaryView) return viewToVariable(src, type);
      break;
    default:
      break;
  }
  throw new IcebergMetadataError(
    `Column "${path}": data file type ${String(src.type)} cannot be read as Iceberg type ${target.text}`,
  );
}
