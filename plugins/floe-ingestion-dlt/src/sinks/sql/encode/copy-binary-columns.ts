import { Type, type Data } from 'apache-arrow';
import { validityOf } from '../../../internal/arrow-values/validity.js';
import { ByteWriter } from './byte-writer.js';
import type { CellWriter } from './cell-writer.js';
import type { EncodedColumn } from './copy-text-encoder.js';

/** How the column-wise encoder writes one column: every row's field size is known before anything is written. */
export interface ColumnPlan {
  /** Adds each row's field bytes (its length word included) to `size[k]`, row `rows[from + k]`. */
  addSizes(rows: ArrayLike<number>, from: number, to: number, size: Int32Array): void;
  /** Writes the field of row `rows[from + k]` at `cursor[k]` in `out` and moves the cursor past it. */
  write(out: ByteWriter, rows: ArrayLike<number>, from: number, to: number, cursor: Int32Array): void;
}

/** What {@link columnPlan} needs to know about a column's target. */
export interface PlanTarget {
  /** Bytes of every present value when the wire format is fixed-width (int8: 8, bool: 1, timestamp: 8); else 0. */
  readonly fixedWidth: number;
  /** Same-width signed integer or float: the wire bytes are the Arrow value's bytes reversed. */
  readonly reversedCopy: boolean;
  /** The row-by-row writer of the column (handles nulls itself). */
  readonly cell: CellWriter;
}

/**
 * A column-wise plan for a column, or `undefined` when its field sizes cannot be known without encoding the
 * values (numeric, json, dictionaries): the caller then encodes row by row. Plain UTF-8 / binary columns and
 * same-width integers, floats and booleans are copied straight from the Arrow buffers in tight loops; other
 * fixed-width types (timestamps, dates, times, widened numbers) use the column's own cell writer at each row's
 * position.
 */
export function columnPlan(column: EncodedColumn, target: PlanTarget): ColumnPlan | undefined {
  const { data, kind } = column;
  if (kind.kind === 'null') return fixedPlan(data, 0, nullWriter);
  if (data.typeId === Type.Dictionary) return undefined;
  if ((kind.kind === 'utf8' || kind.kind === 'binary') && (data.typeId === Type.Utf8 || data.typeId === Type.Binary)) {
    return bytesPlan(data);
  }
  if (target.fixedWidth === 0) return undefined;
  if (target.reversedCopy) return reversedPlan(data, target.fixedWidth);
  if (kind.kind === 'bool') return fixedPlan(data, 1, boolWriter(data));
  return fixedPlan(data, target.fixedWidth, cellLoop(target.cell));
}

type FieldLoop = (out: ByteWriter, rows: ArrayLike<number>, from: number, to: number, cursor: Int32Array) => void;

const nullWriter: FieldLoop = (out, _rows, from, to, cursor) => {
  const { buf } = out;
  for (let k = 0; k < to - from; k++) {
    const at = cursor[k] as number;
    buf[at] = 0xff;
    buf[at + 1] = 0xff;
    buf[at + 2] = 0xff;
    buf[at + 3] = 0xff;
    cursor[k] = at + 4;
  }
};

/** Fixed-width values (`width` bytes each when present, nulls written by `loop` too). */
function fixedPlan(data: Data, width: number, loop: FieldLoop): ColumnPlan {
  const bitmap = validityOf(data);
  const { offset } = data;
  return {
    addSizes(rows, from, to, size) {
      if (bitmap === undefined || width === 0) {
        for (let k = 0; k < to - from; k++) size[k] = (size[k] as number) + 4 + width;
        return;
      }
      for (let k = 0; k < to - from; k++) {
        const bit = offset + (rows[from + k] as number);
        size[k] = (size[k] as number) + (((bitmap[bit >> 3] as number) >> (bit & 7)) & 1 ? 4 + width : 4);
      }
    },
    write: loop,
  };
}

/** The column's own writer, called at each row's position (exact sizes: the buffer never grows). */
function cellLoop(cell: CellWriter): FieldLoop {
  return (out, rows, from, to, cursor) => {
    const { buf } = out;
    for (let k = 0; k < to - from; k++) {
      out.pos = cursor[k] as number;
      cell(out, rows[from + k] as number);
      cursor[k] = out.pos;
    }
    // A writer that wrote more than its fixed width would have grown the buffer: never silently.
    if (out.buf !== buf) throw new Error('binary COPY: a fixed-width field overflowed its size');
  };
}

function boolWriter(data: Data): FieldLoop {
  const bitmap = validityOf(data);
  const values = data.values as Uint8Array;
  const { offset } = data;
  return (out, rows, from, to, cursor) => {
    const { buf } = out;
    for (let k = 0; k < to - from; k++) {
      const bit = offset + (rows[from + k] as number);
      let at = cursor[k] as number;
      if (bitmap !== undefined && (((bitmap[bit >> 3] as number) >> (bit & 7)) & 1) === 0) {
        buf[at++] = 0xff;
        buf[at++] = 0xff;
        buf[at++] = 0xff;
        buf[at++] = 0xff;
      } else {
        buf[at++] = 0;
        buf[at++] = 0;
        buf[at++] = 0;
        buf[at++] = 1;
        buf[at++] = ((values[bit >> 3] as number) >> (bit & 7)) & 1;
      }
      cursor[k] = at;
    }
  };
}

/** Same-width integers and floats: the little-endian Arrow bytes, reversed. */
function reversedPlan(data: Data, width: number): ColumnPlan {
  const values = data.values as unknown as Int32Array;
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.length * values.BYTES_PER_ELEMENT);
  const bitmap = validityOf(data);
  const { offset } = data;
  return fixedPlan(data, width, (out, rows, from, to, cursor) => {
    const { buf } = out;
    for (let k = 0; k < to - from; k++) {
      const index = rows[from + k] as number;
      let at = cursor[k] as number;
      const bit = offset + index;
      if (bitmap !== undefined && (((bitmap[bit >> 3] as number) >> (bit & 7)) & 1) === 0) {
        buf[at++] = 0xff;
        buf[at++] = 0xff;
        buf[at++] = 0xff;
        buf[at++] = 0xff;
      } else {
        buf[at++] = 0;
        buf[at++] = 0;
        buf[at++] = 0;
        buf[at++] = width;
        for (let b = index * width + width - 1; b >= index * width; b--) buf[at++] = bytes[b] as number;
      }
      cursor[k] = at;
    }
  });
}

/** Plain UTF-8 / binary: the value bytes copied as they are. */
function bytesPlan(data: Data): ColumnPlan {
  const bitmap = validityOf(data);
  const values = data.values as Uint8Array;
  const source = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const offsets = data.valueOffsets as Int32Array;
  const { offset } = data;
  return {
    addSizes(rows, from, to, size) {
      for (let k = 0; k < to - from; k++) {
        const index = rows[from + k] as number;
        const bit = offset + index;
        const present = bitmap === undefined || (((bitmap[bit >> 3] as number) >> (bit & 7)) & 1) === 1;
        size[k] = (size[k] as number) + 4 + (present ? (offsets[index + 1] as number) - (offsets[index] as number) : 0);
      }
    },
    write(out, rows, from, to, cursor) {
      const { buf } = out;
      for (let k = 0; k < to - from; k++) {
        const index = rows[from + k] as number;
        let at = cursor[k] as number;
        const bit = offset + index;
        if (bitmap !== undefined && (((bitmap[bit >> 3] as number) >> (bit & 7)) & 1) === 0) {
          buf[at++] = 0xff;
          buf[at++] = 0xff;
          buf[at++] = 0xff;
          buf[at++] = 0xff;
          cursor[k] = at;
          continue;
        }
        const start = offsets[index] as number;
        const end = offsets[index + 1] as number;
        const length = end - start;
        buf[at++] = length >>> 24;
        buf[at++] = (length >>> 16) & 0xff;
        buf[at++] = (length >>> 8) & 0xff;
        buf[at++] = length & 0xff;
        if (length > 24) {
          at += source.copy(buf, at, start, end);
        } else {
          for (let b = start; b < end; b++) buf[at++] = values[b] as number;
        }
        cursor[k] = at;
      }
    },
  };
}

/**
 * Encodes rows column by column: first every row's size (from the validity bitmaps and value offsets), then,
 * a chunk of about `chunkBytes` at a time, each column's fields straight into their places in the chunk — one
 * tight loop per column instead of a call per cell, no buffer growth, no per-row object. The bytes are exactly
 * those of the row-by-row encoder; `header` opens the first chunk and the trailer (`-1`) ends the last.
 * Chunks come from `alloc` (e.g. a `ChunkPool`'s `take`), each written whole before it is yielded.
 */
export function encodeColumnWise(
  plans: readonly ColumnPlan[],
  header: Uint8Array,
): (
  rows: ArrayLike<number>,
  chunkBytes?: number,
  alloc?: (size: number) => Buffer,
) => Generator<Buffer, void, undefined> {
  return function* encode(rows, chunkBytes = 1 << 19, alloc = Buffer.allocUnsafe) {
    const n = rows.length;
    const size = new Int32Array(n);
    size.fill(2); // the field count
    for (const plan of plans) plan.addSizes(rows, 0, n, size);
    const out = new ByteWriter(0);
    let from = 0;
    let first = true;
    do {
      let bytes = first ? header.length : 0;
      let to = from;
      while (to < n && bytes < chunkBytes) bytes += size[to++] as number;
      const last = to === n;
      out.buf = alloc(bytes + (last ? 2 : 0));
      out.pos = 0;
      if (first) out.bytes(header, 0, header.length);
      const cursor = new Int32Array(to - from);
      for (let k = 0, at = out.pos; k < to - from; k++) {
        out.buf[at] = (plans.length >>> 8) & 0xff;
        out.buf[at + 1] = plans.length & 0xff;
        cursor[k] = at + 2;
        at += size[from + k] as number;
      }
      for (const plan of plans) plan.write(out, rows, from, to, cursor);
      if (last) out.buf.writeInt16BE(-1, bytes);
      yield out.buf;
      first = false;
      from = to;
    } while (from < n);
  };
}
