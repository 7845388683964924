import { Type, type Data } from 'apache-arrow';
import { columnKind } from '../column-kind.js';
import { bytesReader } from '../../../internal/arrow-values/bytes-reader.js';
import { dictionaryIndexReader, dictionaryValues } from '../../../internal/arrow-values/dictionary-values.js';
import { isPresent, validityOf } from '../../../internal/arrow-values/validity.js';
import { scalarTextReader } from './scalar-text-reader.js';

/** Reads value `index` as JSON text; `null` (the JS value) for a missing top-level value. */
export type JsonReader = (index: number) => string | null;

/**
 * A reader of nested values (list, struct, map, fixed-size list) as JSON text, built once per column and
 * walking the Arrow children by index. Exact: 64-bit integers and decimals are written as JSON numbers with
 * all their digits, timestamps as ISO 8601 strings with microseconds, binary as base64, non-finite floats as
 * the strings `"NaN"` / `"Infinity"` / `"-Infinity"`, maps as objects keyed by the key's text.
 */
export function jsonTextReader(data: Data): JsonReader {
  const read = valueJson(data);
  const bitmap = validityOf(data);
  if (bitmap === undefined) return read;
  const { offset } = data;
  return (index) => (isPresent(bitmap, offset, index) ? read(index) : null);
}

/** Like {@link jsonTextReader} but writes `null` for a missing value (for values inside containers). */
function nestedJson(data: Data): (index: number) => string {
  const read = jsonTextReader(data);
  return (index) => read(index) ?? 'null';
}

function valueJson(data: Data): (index: number) => string {
  switch (data.typeId) {
    case Type.Struct: {
      const fields = (data.type as unknown as { children: { name: string }[] }).children;
      const parts = fields.map((field, k) => ({
        key: JSON.stringify(field.name),
        read: nestedJson(data.children[k] as Data),
      }));
      return (index) => `{${parts.map((part) => `${part.key}:${part.read(index)}`).join(',')}}`;
    }
    case Type.List:
    case Type.LargeList: {
      const offsets = data.valueOffsets as unknown as ArrayLike<number | bigint>;
      const read = nestedJson(data.children[0] as Data);
      return (index) => {
        const items: string[] = [];
        for (let j = Number(offsets[index]), end = Number(offsets[index + 1]); j < end; j++) items.push(read(j));
        return `[${items.join(',')}]`;
      };
    }
    case Type.FixedSizeList: {
      const size = (data.type as unknown as { listSize: number }).listSize;
      const read = nestedJson(data.children[0] as Data);
      return (index) => {
        const items: string[] = [];
        for (let j = index * size, end = j + size; j < end; j++) items.push(read(j));
        return `[${items.join(',')}]`;
      };
    }
    case Type.Map: {
      const offsets = data.valueOffsets as Int32Array;
      const entries = data.children[0] as Data;
      const key = leafJson(entries.children[0] as Data, true);
      const value = nestedJson(entries.children[1] as Data);
      return (index) => {
        const items: string[] = [];
        for (let j = offsets[index] as number, end = offsets[index + 1] as number; j < end; j++)
          items.push(`${key(j)}:${value(j)}`);
        return `{${items.join(',')}}`;
      };
    }
    case Type.Dictionary: {
      const inner = nestedJson(dictionaryValues(data));
      const indexOf = dictionaryIndexReader(data);
      return (index) => inner(indexOf(index));
    }
    default:
      return leafJson(data, false);
  }
}

function leafJson(data: Data, asKey: boolean): (index: number) => string {
  const kind = columnKind(data.type);
  if (typeof kind === 'string') throw new TypeError(kind);
  if (kind.kind === 'binary') {
    const bytes = bytesReader(data);
    return (index) => `"${Buffer.from(bytes(index)).toString('base64')}"`;
  }
  const text = scalarTextReader(data, kind, 'iso');
  const numeric = kind.kind === 'int' || kind.kind === 'decimal' || kind.kind === 'bool';
  if (numeric && !asKey) return (index) => text(index) ?? 'null';
  if (kind.kind === 'float' && !asKey) {
    return (index) => {
      const value = text(index);
      return value === null ? 'null' : /^-?(NaN|Infinity)$/.test(value) ? `"${value}"` : value;
    };
  }
  return (index) => {
    const value = text(index);
    return value === null ? 'null' : JSON.stringify(value);
  };
}
