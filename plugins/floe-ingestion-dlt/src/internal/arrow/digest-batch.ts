import { createHash } from 'node:crypto';
import { Type, type Data, type RecordBatch, type Vector } from 'apache-arrow';
import { jsonColumn } from '../../engine/encoding/json-column.js';
import { resolveJsonOptions } from '../../engine/encoding/encoding-options.js';
import { canonicalBits } from './bits.js';

const FALLBACK_OPTIONS = resolveJsonOptions();
const dictionaryDigests = new WeakMap<Vector, string>();

/** What a digest is made of: a description of the structure, and the buffers in a fixed order. */
interface Parts {
  readonly text: string[];
  readonly buffers: Uint8Array[];
}

/**
 * SHA-256 (hex) of a batch's logical content, from its Arrow buffers: schema (names, types), row count,
 * validity, values. Canonical: the same rows give the same digest however the source was chunked or sliced.
 * The structure (lengths, null counts) is hashed first as text, so buffer boundaries are unambiguous.
 */
export function digestBatch(batch: RecordBatch): string {
  const parts: Parts = { text: [`rows:${batch.numRows}`], buffers: [] };
  batch.schema.fields.forEach((field, j) => {
    parts.text.push(`field:${JSON.stringify(field.name)}:${String(field.type)}`);
    digestData(parts, (batch.data.children[j] as Data).slice(0, batch.numRows));
  });
  const hash = createHash('sha256').update(parts.text.join('\n'));
  for (const buffer of parts.buffers) hash.update(buffer);
  return hash.digest('hex');
}

function view(values: ArrayBufferView, start: number, end: number): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset + start, end - start);
}

function digestData(parts: Parts, data: Data): void {
  const n = data.length;
  parts.text.push(`len:${n};nulls:${data.nullCount}`);
  if (data.nullCount > 0 && data.type.typeId !== Type.Null)
    parts.buffers.push(canonicalBits(data.nullBitmap as Uint8Array, data.offset, n));
  switch (data.type.typeId as Type) {
    case Type.Null:
      return;
    case Type.Bool:
      parts.buffers.push(canonicalBits(data.values as Uint8Array, data.offset, n));
      return;
    case Type.Utf8:
    case Type.Binary:
    case Type.LargeUtf8:
    case Type.LargeBinary: {
      const [start, end] = digestOffsets(parts, data);
      parts.buffers.push(view(data.values as Uint8Array, start, end));
      return;
    }
    case Type.List:
    case Type.LargeList:
    case Type.Map: {
      const [start, end] = digestOffsets(parts, data);
      digestData(parts, (data.children[0] as Data).slice(start, end - start));
      return;
    }
    case Type.FixedSizeList: {
      const size = (data.type as unknown as { listSize: number }).listSize;
      digestData(parts, (data.children[0] as Data).slice(0, n * size));
      return;
    }
    case Type.Struct:
      for (const child of data.children) digestData(parts, child.slice(0, n));
      return;
    case Type.Dictionary:
      parts.buffers.push(view(data.values, 0, n * (data.values as Int32Array).BYTES_PER_ELEMENT));
      parts.text.push(`dictionary:${dictionaryDigest(data.dictionary as Vector)}`);
      return;
    case Type.Union:
    case Type.BinaryView:
    case Type.Utf8View:
      for (const text of jsonColumn(data, undefined, FALLBACK_OPTIONS)) parts.text.push(text);
      return;
    default: {
      const values = data.values as Int32Array;
      parts.buffers.push(view(values, 0, n * data.stride * values.BYTES_PER_ELEMENT));
    }
  }
}

/** Adds the offsets re-based to 0 (as 64-bit numbers); returns the [start, end) range they cover. */
function digestOffsets(parts: Parts, data: Data): [number, number] {
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const start = Number(offsets[0]);
  const end = Number(offsets[data.length]);
  const rebased = new Float64Array(data.length + 1);
  if (offsets instanceof Int32Array) {
    for (let i = 0; i <= data.length; i += 1) rebased[i] = (offsets[i] as number) - start;
  } else {
    for (let i = 0; i <= data.length; i += 1) rebased[i] = Number(offsets[i]) - start;
  }
  parts.buffers.push(new Uint8Array(rebased.buffer));
  return [start, end];
}

function dictionaryDigest(dictionary: Vector): string {
  let digest = dictionaryDigests.get(dictionary);
  if (digest === undefined) {
    const parts: Parts = { text: [], buffers: [] };
    for (const chunk of dictionary.data) digestData(parts, chunk);
    const hash = createHash('sha256').update(parts.text.join('\n'));
    for (const buffer of parts.buffers) hash.update(buffer);
    digest = hash.digest('hex');
    dictionaryDigests.set(dictionary, digest);
  }
  return digest;
}
