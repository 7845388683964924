import type { Data, Field, Vector } from 'apache-arrow';
import type { ResolvedJsonOptions } from './encoding-options.js';
import { assembleObjects } from './assemble-objects.js';
import { fillTexts } from './fill-texts.js';
import { offsetsOf, type IsNull } from '../../internal/arrow-values/validity.js';

/** Encodes one column's values as JSON texts: `jsonColumn`, passed in so that nested columns can recurse. */
export type JsonColumnEncoder = (data: Data, field: Field | undefined, options: ResolvedJsonOptions) => string[];

function joinRange(texts: readonly string[], start: number, end: number): string {
  if (start === end) return '[]';
  let text = `[${texts[start] as string}`;
  for (let k = start + 1; k < end; k += 1) text += `,${texts[k] as string}`;
  return `${text}]`;
}

/** List, LargeList and FixedSizeList → JSON arrays. */
export function jsonListColumn(
  data: Data,
  isNull: IsNull,
  options: ResolvedJsonOptions,
  jsonColumn: JsonColumnEncoder,
): string[] {
  const child = data.children[0] as Data;
  const childField = (data.type.children as Field[])[0];
  if (data.valueOffsets === undefined || data.valueOffsets === null) {
    const size = (data.type as unknown as { listSize: number }).listSize;
    const texts = jsonColumn(child.slice(0, data.length * size), childField, options);
    return fillTexts(data.length, isNull, (i) => joinRange(texts, i * size, (i + 1) * size));
  }
  const offsets = offsetsOf(data);
  const first = offsets[0] as number;
  const texts = jsonColumn(child.slice(first, (offsets[data.length] as number) - first), childField, options);
  return fillTexts(data.length, isNull, (i) =>
    joinRange(texts, (offsets[i] as number) - first, (offsets[i + 1] as number) - first),
  );
}

/** Struct → JSON objects (field names as keys). */
export function jsonStructColumn(
  data: Data,
  isNull: IsNull,
  options: ResolvedJsonOptions,
  jsonColumn: JsonColumnEncoder,
): string[] {
  const fields = data.type.children as Field[];
  const columns = fields.map((field, j) => jsonColumn(data.children[j] as Data, field, options));
  return assembleObjects(
    fields.map((field) => field.name),
    columns,
    data.length,
    isNull,
  );
}

/** Map → JSON objects; keys that are not strings are written as strings (`{"1":…}`). */
export function jsonMapColumn(
  data: Data,
  isNull: IsNull,
  options: ResolvedJsonOptions,
  jsonColumn: JsonColumnEncoder,
): string[] {
  const offsets = offsetsOf(data);
  const first = offsets[0] as number;
  const entries = (data.children[0] as Data).slice(first, (offsets[data.length] as number) - first);
  const [keyField, valueField] = entries.type.children as Field[];
  const keys = jsonColumn(entries.children[0] as Data, keyField, options).map((key) =>
    key.startsWith('"') ? key : JSON.stringify(key),
  );
  const values = jsonColumn(entries.children[1] as Data, valueField, options);
  return fillTexts(data.length, isNull, (i) => {
    const start = (offsets[i] as number) - first;
    const end = (offsets[i + 1] as number) - first;
    let text = '{';
    for (let k = start; k < end; k += 1) text += `${k === start ? '' : ','}${keys[k] as string}:${values[k] as string}`;
    return `${text}}`;
  });
}

const dictionaryTexts = new WeakMap<Vector, { options: ResolvedJsonOptions; texts: string[] }>();

/** Dictionary-encoded → the dictionary's values (each distinct value encoded once per dictionary). */
export function jsonDictionaryColumn(
  data: Data,
  isNull: IsNull,
  options: ResolvedJsonOptions,
  jsonColumn: JsonColumnEncoder,
): string[] {
  const dictionary = data.dictionary as Vector;
  let cached = dictionaryTexts.get(dictionary);
  if (cached === undefined || cached.options !== options) {
    cached = { options, texts: dictionary.data.flatMap((chunk) => jsonColumn(chunk, undefined, options)) };
    dictionaryTexts.set(dictionary, cached);
  }
  const texts = cached.texts;
  const indices = data.values as ArrayLike<number | bigint>;
  return fillTexts(data.length, isNull, (i) => texts[Number(indices[i])] as string);
}
