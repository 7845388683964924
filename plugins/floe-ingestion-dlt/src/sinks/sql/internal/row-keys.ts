import { Type } from 'apache-arrow';
import { int64Reader } from '../../../internal/arrow-values/int64-reader.js';
import { isPresent, validityOf } from '../../../internal/arrow-values/validity.js';
import type { NamedColumn } from '../encode/unrepresentable.js';
import { textReader } from '../encode/text-reader.js';

/**
 * A row's primary key: a number for a one-column integer key within ±2^53 (cheap to hash and compare),
 * else its exact text. One column always yields the same representation for the same value.
 */
export type RowKey = number | string;

/** Reads a row's primary key; `null` when any key column is null. */
export type KeyReader = (index: number) => RowKey | null;

/** The record id of a key, as the receipt carries it. */
export function recordIdOf(key: RowKey): string {
  return typeof key === 'number' ? String(key) : key;
}

/**
 * The primary key of a row: its exact text for a one-column key (`42`, `alice@example.com`,
 * `2024-05-01T00:00:00Z`; integers as numbers while exact), a JSON array for a composite key
 * (`[42,"EU"]`, numbers unquoted with all their digits).
 */
export function keyReader(keyColumns: readonly NamedColumn[]): KeyReader {
  const only = keyColumns.length === 1 ? keyColumns[0] : undefined;
  if (only !== undefined && only.kind.kind === 'int' && only.data.typeId === Type.Int) return integerKeys(only);
  const readers = keyColumns.map((column) => {
    const read = textReader(column.data, column.kind, 'iso');
    const bare = column.kind.kind === 'int' || column.kind.kind === 'decimal';
    return { read, bare };
  });
  if (only !== undefined) return (readers[0] as (typeof readers)[number]).read;
  return (index) => {
    const parts: string[] = [];
    for (const { read, bare } of readers) {
      const value = read(index);
      if (value === null) return null;
      parts.push(bare ? value : JSON.stringify(value));
    }
    return `[${parts.join(',')}]`;
  };
}

function integerKeys(column: NamedColumn): KeyReader {
  const { data } = column;
  const bitmap = validityOf(data);
  const { offset } = data;
  const wide = (data.type as unknown as { bitWidth: number }).bitWidth === 64;
  const values = data.values as unknown as ArrayLike<number>;
  const read64 = wide ? int64Reader(data.values as unknown as BigInt64Array) : undefined;
  return (index) => {
    if (!isPresent(bitmap, offset, index)) return null;
    if (read64 === undefined) return values[index] as number;
    const value = read64(index);
    return typeof value === 'number' ? value : value.toString();
  };
}

/** The keys a merge load has seen so far (a failed batch takes its keys back out). */
export interface LoadKeys {
  readonly seen: Set<RowKey>;
}

/**
 * Refuses rows whose key has a null part and, when `load` is given (merge), rows whose key already
 * occurred earlier in this load: the first occurrence is written, later ones are reported as rejected,
 * so no row silently overwrites another of the same load. Returns the keys it added to `load.seen`.
 */
export function checkKeys(
  rows: ArrayLike<number>,
  keys: readonly (RowKey | null)[],
  keyNames: readonly string[],
  refused: Map<number, string>,
  load?: LoadKeys,
): RowKey[] {
  const label = keyNames.length === 1 ? `primary key column "${keyNames[0]}"` : `primary key (${keyNames.join(', ')})`;
  const added: RowKey[] = [];
  for (let r = 0; r < rows.length; r++) {
    const index = rows[r] as number;
    if (refused.has(index)) continue;
    const key = keys[index] ?? null;
    if (key === null) {
      refused.set(index, `${label} is null`);
    } else if (load !== undefined) {
      const before = load.seen.size;
      load.seen.add(key);
      if (load.seen.size === before) {
        refused.set(
          index,
          `duplicate ${label} ${recordIdOf(key)}: an earlier row of this load has the same key (that one is written; merge never applies two rows of one load to the same key)`,
        );
      } else {
        added.push(key);
      }
    }
  }
  return added;
}
