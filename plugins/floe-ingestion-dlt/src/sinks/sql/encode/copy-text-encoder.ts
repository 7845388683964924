import { Type, type Data } from 'apache-arrow';
import type { ColumnKind, TimeUnitCode } from '../column-kind.js';
import { int64Reader } from '../../../internal/arrow-values/int64-reader.js';
import { isPresent, validityOf } from '../../../internal/arrow-values/validity.js';
import { ByteWriter } from './byte-writer.js';
import type { CellWriter } from './cell-writer.js';
import { civilFromDays } from '../../../internal/arrow-values/civil-date.js';
import { splitEpoch, type SplitTime } from '../../../internal/arrow-values/split-epoch.js';
import { textReader } from './text-reader.js';

/** One column to encode: its Arrow data (one chunk) and what it holds. */
export interface EncodedColumn {
  readonly data: Data;
  readonly kind: ColumnKind;
}

const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;

/**
 * Encodes rows as PostgreSQL `COPY … FROM STDIN` text format, column by column from the Arrow buffers:
 * one line per row (embedded tabs, newlines and backslashes escaped, so line N of the COPY is row N),
 * `\N` for null, timestamps written from the epoch integers with all their microseconds and `+00`
 * for zoned columns, years ≤ 0 as `BC`. Yields buffers of about `chunkBytes`.
 *
 * @example
 * ```ts
 * for (const chunk of copyTextChunks(columns, [0, 1, 2])) copyStream.write(chunk);
 * ```
 */
export function* copyTextChunks(
  columns: readonly EncodedColumn[],
  rows: ArrayLike<number>,
  chunkBytes = 1 << 19,
): Generator<Buffer, void, undefined> {
  const writers = columns.map(cellWriter);
  const last = writers.length - 1;
  const out = new ByteWriter(chunkBytes);
  for (let r = 0; r < rows.length; r++) {
    const index = rows[r] as number;
    for (let c = 0; c <= last; c++) {
      (writers[c] as CellWriter)(out, index);
      out.byte(c === last ? NEWLINE : TAB);
    }
    if (out.full) yield out.take();
  }
  if (out.pos > 0) yield out.take();
}

function cellWriter(column: EncodedColumn): CellWriter {
  const { data, kind } = column;
  const write = data.typeId === Type.Dictionary ? undefined : fastWriter(data, kind);
  const value = write ?? textWriter(data, kind);
  const bitmap = validityOf(data);
  if (bitmap === undefined) return value;
  const { offset } = data;
  return (out, index) => {
    if (isPresent(bitmap, offset, index)) value(out, index);
    else {
      out.ensure(2);
      out.buf[out.pos++] = BACKSLASH;
      out.buf[out.pos++] = 78; // N
    }
  };
}

/** Writers that go straight from the buffers to bytes, for the common types. */
function fastWriter(data: Data, kind: ColumnKind): CellWriter | undefined {
  const values = data.values as unknown;
  switch (kind.kind) {
    case 'int': {
      if (kind.bits < 64) return (out, index) => out.int((values as Int32Array)[index] as number);
      const read = int64Reader(values as BigInt64Array);
      return (out, index) => {
        const v = read(index);
        if (typeof v === 'number') out.int(v);
        else out.ascii(String(v));
      };
    }
    case 'float':
      if (kind.bits === 16) return undefined;
      return (out, index) => {
        const v = (values as Float64Array)[index] as number;
        out.ascii(v === 0 && 1 / v < 0 ? '-0' : String(v));
      };
    case 'bool': {
      const { offset } = data;
      return (out, index) => out.byte(isPresent(values as Uint8Array, offset, index) ? 116 : 102);
    }
    case 'utf8':
      return data.typeId === Type.Utf8 ? utf8Writer(data) : undefined;
    case 'timestamp':
      return timestampWriter(data, kind.unit, kind.timezone !== undefined);
    case 'date':
      if ((data.type as unknown as { unit: number }).unit !== 0) return undefined;
      return dateWriter(values as Int32Array);
    default:
      return undefined;
  }
}

/** Copies UTF-8 bytes, escaping backslash, tab, newline and carriage return (ASCII never occurs inside a multi-byte sequence). */
function utf8Writer(data: Data): CellWriter {
  const bytes = data.values as Uint8Array;
  const offsets = data.valueOffsets as Int32Array;
  return (out, index) => {
    const start = offsets[index] as number;
    const end = offsets[index + 1] as number;
    out.ensure(2 * (end - start));
    const { buf } = out;
    let { pos } = out;
    for (let k = start; k < end; k++) {
      const b = bytes[k] as number;
      if (b > BACKSLASH || (b !== BACKSLASH && b !== TAB && b !== NEWLINE && b !== 13)) buf[pos++] = b;
      else {
        buf[pos++] = BACKSLASH;
        buf[pos++] = b === BACKSLASH ? BACKSLASH : b === TAB ? 116 : b === NEWLINE ? 110 : 114;
      }
    }
    out.pos = pos;
  };
}

/** Writes `YYYY-MM-DD` (years ≤ 0 as their BC year); returns whether the date is BC. */
function writeDate(out: ByteWriter, days: number, date: { year: number; month: number; day: number }): boolean {
  civilFromDays(days, date);
  const bc = date.year <= 0;
  const year = bc ? 1 - date.year : date.year;
  if (year < 10_000) out.padded(year, 4);
  else out.int(year);
  out.byte(45);
  out.padded(date.month, 2);
  out.byte(45);
  out.padded(date.day, 2);
  return bc;
}

function dateWriter(days: Int32Array): CellWriter {
  const date = { year: 0, month: 0, day: 0 };
  return (out, index) => {
    if (writeDate(out, days[index] as number, date)) out.ascii(' BC');
  };
}

function timestampWriter(data: Data, unit: TimeUnitCode, zoned: boolean): CellWriter {
  const read = int64Reader(data.values as BigInt64Array);
  const split: SplitTime = { days: 0, micros: 0, nanos: 0 };
  const date = { year: 0, month: 0, day: 0 };
  return (out, index) => {
    splitEpoch(read(index), unit, split); // sub-microsecond remainders were rejected before encoding
    const bc = writeDate(out, split.days, date);
    const seconds = Math.floor(split.micros / 1_000_000);
    const fraction = split.micros - seconds * 1_000_000;
    out.byte(32);
    out.padded(Math.floor(seconds / 3600), 2);
    out.byte(58);
    out.padded(Math.floor(seconds / 60) % 60, 2);
    out.byte(58);
    out.padded(seconds % 60, 2);
    if (fraction !== 0) {
      out.byte(46);
      out.padded(fraction, 6);
    }
    if (zoned) out.ascii('+00');
    if (bc) out.ascii(' BC');
  };
}

/** Everything else: exact text from {@link textReader}, escaped for COPY; binary as `\\x<hex>`. */
function textWriter(data: Data, kind: ColumnKind): CellWriter {
  const read = textReader(data, kind, 'iso');
  if (kind.kind === 'binary') {
    return (out, index) => {
      out.ascii('\\\\x');
      out.ascii(read(index) as string);
    };
  }
  return (out, index) => out.utf8(escapeCopyText(read(index) as string));
}

/** Escapes backslash, tab, newline and carriage return for COPY text format. */
export function escapeCopyText(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] as string) : text;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
