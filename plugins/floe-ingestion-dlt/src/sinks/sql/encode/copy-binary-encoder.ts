import { Type, makeVector, type Data } from 'apache-arrow';
import type { ColumnKind } from '../column-kind.js';
import { bytesReader } from '../../../internal/arrow-values/bytes-reader.js';
import { dictionaryValues } from '../../../internal/arrow-values/dictionary-values.js';
import { isPresent, validityOf } from '../../../internal/arrow-values/validity.js';
import { ByteWriter } from './byte-writer.js';
import type { CellWriter } from './cell-writer.js';
import type { EncodedColumn } from './copy-text-encoder.js';
import { postgresNumeric } from './postgres-numeric.js';
import { dateWriter, timeWriter, timestampWriter } from './binary-temporal-writers.js';
import { textReader } from './text-reader.js';
import { columnPlan, encodeColumnWise, type ColumnPlan } from './copy-binary-columns.js';

/** PostgreSQL types the binary COPY encoder writes (their `*_recv` wire formats). */
type BinaryTag =
  | 'int2'
  | 'int4'
  | 'int8'
  | 'numeric'
  | 'float4'
  | 'float8'
  | 'bool'
  | 'text'
  | 'bytea'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'jsonb'
  | 'json';

/** The binary tag of a column type as `format_type` spells it; `undefined` for types left to text COPY. */
function binaryTag(pgType: string): BinaryTag | undefined {
  const type = pgType.toLowerCase();
  if (type === 'smallint') return 'int2';
  if (type === 'integer') return 'int4';
  if (type === 'bigint') return 'int8';
  if (/^numeric(\(\d+(,\d+)?\))?$/.test(type)) return 'numeric';
  if (type === 'real') return 'float4';
  if (type === 'double precision') return 'float8';
  if (type === 'boolean') return 'bool';
  if (type === 'text' || /^(character varying|character)(\(\d+\))?$/.test(type)) return 'text';
  if (type === 'bytea') return 'bytea';
  if (type === 'date') return 'date';
  if (/^timestamp(\(6\))? with(out)? time zone$/.test(type)) return 'timestamp';
  if (/^time(\(6\))? without time zone$/.test(type)) return 'time';
  if (type === 'jsonb' || type === 'json') return type;
  return undefined;
}

const HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);

/**
 * Encodes rows in PostgreSQL's binary COPY format, straight from the Arrow buffers into each target
 * column's wire format: integers and floats byte-swapped (no digits), timestamps as µs since 2000 (no
 * text, no JS `Date`), text and bytea copied (no escaping), decimals as base-10000 `numeric`. Returns
 * `undefined` when a column's target type has no binary writer here (the caller then uses text COPY).
 *
 * Column by column (see `encodeColumnWise`) when every field's size is known up front — plain text and bytea,
 * fixed-width numbers, booleans, dates, times, timestamps; row by row otherwise (numeric, json, dictionaries).
 * Both give the same bytes.
 *
 * @param targetTypes the target columns' types as `format_type` spells them, in column order.
 * @param layout `rows` forces the row-by-row encoder (for comparison in tests).
 * @returns `encode(rows, chunkBytes, alloc)`: `alloc` gives the column-wise encoder its chunk buffers.
 */
export function binaryCopyEncoder(
  columns: readonly EncodedColumn[],
  targetTypes: readonly string[],
  layout: 'auto' | 'rows' = 'auto',
):
  | ((
      rows: ArrayLike<number>,
      chunkBytes?: number,
      alloc?: (size: number) => Buffer,
    ) => Generator<Buffer, void, undefined>)
  | undefined {
  const writers: CellWriter[] = [];
  const plans: (ColumnPlan | undefined)[] = [];
  for (const [c, column] of columns.entries()) {
    const tag = binaryTag(targetTypes[c] ?? '');
    const writer = tag === undefined ? undefined : cellWriter(column, tag);
    if (writer === undefined || tag === undefined) return undefined;
    writers.push(writer);
    plans.push(
      columnPlan(column, { fixedWidth: FIXED_WIDTH[tag] ?? 0, reversedCopy: sameWidth(column, tag), cell: writer }),
    );
  }
  if (layout === 'auto' && plans.every((plan) => plan !== undefined))
    return encodeColumnWise(plans as ColumnPlan[], HEADER);
  return function* encode(rows, chunkBytes = 1 << 19) {
    const out = new ByteWriter(chunkBytes);
    out.bytes(HEADER, 0, HEADER.length);
    for (let r = 0; r < rows.length; r++) {
      const index = rows[r] as number;
      out.int16(writers.length);
      for (const write of writers) write(out, index);
      if (out.full) yield out.take();
    }
    out.int16(-1);
    yield out.take();
  };
}

/** Wire bytes of a present value, for fixed-width binary formats. */
const FIXED_WIDTH: Partial<Record<BinaryTag, number>> = {
  int2: 2,
  int4: 4,
  int8: 8,
  float4: 4,
  float8: 8,
  bool: 1,
  date: 4,
  timestamp: 8,
  time: 8,
};

/** True when the wire value is the Arrow value's bytes reversed (same-width signed integer or float). */
function sameWidth(column: EncodedColumn, tag: BinaryTag): boolean {
  const { kind, data } = column;
  if (data.typeId === Type.Dictionary) return false;
  if (kind.kind === 'int') return kind.signed && kind.bits === (INT_WIDTH[tag] ?? 0) * 8;
  if (kind.kind === 'float') return (tag === 'float8' && kind.bits === 64) || (tag === 'float4' && kind.bits === 32);
  return false;
}

function cellWriter(column: EncodedColumn, tag: BinaryTag): CellWriter | undefined {
  const { data, kind } = column;
  if (kind.kind === 'null') return (out) => out.int32(-1);
  const write = valueWriter(data, kind, tag);
  if (write === undefined) return undefined;
  const bitmap = validityOf(data);
  if (bitmap === undefined) return write;
  const { offset } = data;
  return (out, index) => (isPresent(bitmap, offset, index) ? write(out, index) : out.int32(-1));
}

function valueWriter(data: Data, kind: ColumnKind, tag: BinaryTag): CellWriter | undefined {
  const plain = data.typeId !== Type.Dictionary;
  switch (kind.kind) {
    case 'int':
      return plain ? intWriter(data, kind, tag) : undefined;
    case 'decimal':
      return tag === 'numeric' && plain ? numericWriter(textReader(data, kind, 'iso')) : undefined;
    case 'float':
      return plain ? floatWriter(data, kind.bits, tag) : undefined;
    case 'bool': {
      if (tag !== 'bool') return undefined;
      const values = data.values as Uint8Array;
      const { offset } = data;
      return (out, index) => {
        out.int32(1);
        out.byte(isPresent(values, offset, index) ? 1 : 0);
      };
    }
    case 'utf8':
    case 'binary':
      return (kind.kind === 'utf8' ? tag === 'text' : tag === 'bytea') ? bytesWriter(data) : undefined;
    case 'date':
      return tag === 'date' && plain ? dateWriter(data) : undefined;
    case 'timestamp':
      return tag === 'timestamp' && plain ? timestampWriter(data, kind.unit) : undefined;
    case 'time':
      return tag === 'time' && plain ? timeWriter(data, kind.unit) : undefined;
    case 'json':
      return tag === 'jsonb' || tag === 'json' ? jsonWriter(data, kind, tag === 'jsonb') : undefined;
    default:
      return undefined;
  }
}

const INT_WIDTH: Partial<Record<BinaryTag, number>> = { int2: 2, int4: 4, int8: 8 };

function intWriter(data: Data, kind: Extract<ColumnKind, { kind: 'int' }>, tag: BinaryTag): CellWriter | undefined {
  if (tag === 'numeric') return numericWriter(textReader(data, kind, 'iso'));
  const width = INT_WIDTH[tag];
  if (width === undefined) return undefined;
  const values = data.values as unknown as ArrayLike<number>;
  if (kind.signed && kind.bits === width * 8) {
    // Same width: the little-endian bytes, reversed.
    const bytes = new Uint8Array(
      (values as unknown as Int32Array).buffer,
      (values as unknown as Int32Array).byteOffset,
      values.length * width,
    );
    return (out, index) => {
      out.int32(width);
      out.reversed(bytes, index * width, width);
    };
  }
  if (kind.bits === 64) return undefined; // uint64 only fits numeric
  return (out, index) => {
    const v = values[index] as number;
    out.int32(width);
    if (width === 2) out.int16(v);
    else if (width === 4) out.int32(v);
    else out.int64(v);
  };
}

function floatWriter(data: Data, bits: 16 | 32 | 64, tag: BinaryTag): CellWriter | undefined {
  const width = tag === 'float8' ? 8 : tag === 'float4' ? 4 : 0;
  if (width === 0 || (width === 4 && bits === 64)) return undefined;
  if (bits === width * 8) {
    const values = data.values as Float64Array;
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.length * width);
    return (out, index) => {
      out.int32(width);
      out.reversed(bytes, index * width, width);
    };
  }
  const read =
    bits === 16
      ? (
          (vector) => (index: number) =>
            vector.get(index) as number
        )(makeVector(data))
      : (index: number) => (data.values as Float32Array)[index] as number;
  const scratch = new DataView(new ArrayBuffer(8));
  const scratchBytes = new Uint8Array(scratch.buffer);
  return (out, index) => {
    out.int32(width);
    if (width === 8) scratch.setFloat64(0, read(index));
    else scratch.setFloat32(0, read(index));
    out.bytes(scratchBytes, 0, width);
  };
}

function numericWriter(read: (index: number) => string | null): CellWriter {
  return (out, index) => {
    const words = postgresNumeric(read(index) as string);
    out.int32(words.length * 2);
    for (const word of words) out.int16(word);
  };
}

function bytesWriter(data: Data): CellWriter {
  if (data.typeId === Type.Utf8 || data.typeId === Type.Binary) {
    const bytes = data.values as Uint8Array;
    const offsets = data.valueOffsets as Int32Array;
    return (out, index) => {
      const start = offsets[index] as number;
      const end = offsets[index + 1] as number;
      out.int32(end - start);
      out.bytes(bytes, start, end);
    };
  }
  if (data.typeId === Type.Dictionary) {
    const inner = bytesReader(dictionaryValues(data));
    const indices = data.values as unknown as ArrayLike<number>;
    return (out, index) => {
      const value = inner(Number(indices[index]));
      out.int32(value.length);
      out.bytes(value, 0, value.length);
    };
  }
  const read = bytesReader(data);
  return (out, index) => {
    const value = read(index);
    out.int32(value.length);
    out.bytes(value, 0, value.length);
  };
}

function jsonWriter(data: Data, kind: ColumnKind, jsonb: boolean): CellWriter {
  const read = textReader(data, kind, 'iso');
  return (out, index) => {
    const text = Buffer.from(read(index) as string, 'utf8');
    out.int32(text.length + (jsonb ? 1 : 0));
    if (jsonb) out.byte(1);
    out.bytes(text, 0, text.length);
  };
}
