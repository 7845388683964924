import { describe, expect, it } from '@jest/globals';
import { equalityDeleteMisses } from '../src/changes/equality-bounds.js';
import type { ContentFile } from '../src/internal/manifest/read-manifest.js';
import type { NestedField, PrimitiveName } from '../src/internal/metadata/iceberg-schema.js';

const int32 = (v: number): Uint8Array => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
};
const int64 = (v: bigint): Uint8Array => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(v);
  return b;
};
const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

function file(
  content: number,
  bounds: [Uint8Array, Uint8Array] | undefined,
  nulls: number | null,
  equalityIds: number[] = [],
): ContentFile {
  return {
    content,
    filePath: 'f',
    fileFormat: 'PARQUET',
    specId: 0,
    partition: {},
    recordCount: 10,
    fileSizeInBytes: 100,
    sequenceNumber: 1n,
    lowerBounds: new Map(bounds ? [[1, bounds[0]]] : []),
    upperBounds: new Map(bounds ? [[1, bounds[1]]] : []),
    nullValueCounts: new Map(nulls === null ? [] : [[1, nulls]]),
    equalityIds,
    encrypted: false,
  };
}
const field =
  (name: PrimitiveName) =>
  (id: number): NestedField | undefined =>
    id === 1 ? { id, name: 'k', required: false, type: { kind: 'primitive', name, text: name } } : undefined;

const del = (bounds: [Uint8Array, Uint8Array] | undefined, nulls: number | null = 0): ContentFile =>
  file(2, bounds, nulls, [1]);
const data = (bounds: [Uint8Array, Uint8Array] | undefined, nulls: number | null = 0): ContentFile =>
  file(0, bounds, nulls);

describe('equalityDeleteMisses', () => {
  it('rules out a data file whose long key range is disjoint from the delete keys, including a 0 bound', () => {
    expect(equalityDeleteMisses(del([int64(0n), int64(0n)]), data([int64(1n), int64(9n)]), field('long'))).toBe(true);
    expect(equalityDeleteMisses(del([int64(10n), int64(20n)]), data([int64(-5n), int64(0n)]), field('long'))).toBe(
      true,
    );
    expect(equalityDeleteMisses(del([int64(5n), int64(20n)]), data([int64(1n), int64(5n)]), field('long'))).toBe(false);
  });

  it('compares int bounds of files written before a promotion to long with 8-byte ones', () => {
    expect(equalityDeleteMisses(del([int64(-3n), int64(-1n)]), data([int32(0), int32(100)]), field('long'))).toBe(true);
    expect(equalityDeleteMisses(del([int64(100n), int64(100n)]), data([int32(0), int32(100)]), field('long'))).toBe(
      false,
    );
  });

  it('compares string bounds by UTF-8 bytes', () => {
    expect(equalityDeleteMisses(del([utf8('x'), utf8('z')]), data([utf8('a'), utf8('m')]), field('string'))).toBe(true);
    expect(equalityDeleteMisses(del([utf8('é'), utf8('é')]), data([utf8('a'), utf8('z')]), field('string'))).toBe(true);
    expect(equalityDeleteMisses(del([utf8('b'), utf8('b')]), data([utf8('a'), utf8('z')]), field('string'))).toBe(
      false,
    );
  });

  it('keeps a file that may match a null key, or whose statistics or type it cannot use', () => {
    const disjoint = (d: ContentFile, f: ContentFile, type: PrimitiveName = 'long'): boolean =>
      equalityDeleteMisses(d, f, field(type));
    const lo: [Uint8Array, Uint8Array] = [int64(0n), int64(1n)];
    const hi: [Uint8Array, Uint8Array] = [int64(5n), int64(6n)];
    expect(disjoint(del(hi, 1), data(lo, 2))).toBe(false); // null key, nulls in the file
    expect(disjoint(del(hi, 1), data(lo, 0))).toBe(true);
    expect(disjoint(del(hi, 0), data(lo, null))).toBe(true); // the delete file has no null key
    expect(disjoint(del(hi, null), data(lo, null))).toBe(false); // null counts unknown
    expect(disjoint(del(hi), data(undefined))).toBe(false);
    expect(disjoint(del([int64(5n), int64(6n)]), data(lo), 'double')).toBe(false);
    expect(equalityDeleteMisses(file(2, hi, 0, [7]), data(lo), field('long'))).toBe(false); // unknown field
  });
});
