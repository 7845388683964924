import { Float64, Int64, Utf8, makeTable, vectorFromArray } from 'apache-arrow';
import { IcebergTableWriter } from '@floe/lakehouse/testing';
import type { SourceRow } from './source-table.js';

const FIELDS = [
  { id: 1, name: 'id', required: false, type: 'long' },
  { id: 2, name: 'name', required: false, type: 'string' },
  { id: 3, name: 'amount', required: false, type: 'double' },
] as const;

function file(rows: readonly SourceRow[]) {
  const table = makeTable({
    id: vectorFromArray(
      rows.map((row) => BigInt(row.id)),
      new Int64(),
    ).data[0] as never,
    name: vectorFromArray(
      rows.map((row) => row.name),
      new Utf8(),
    ).data[0] as never,
    amount: vectorFromArray(
      rows.map((row) => row.amount),
      new Float64(),
    ).data[0] as never,
  });
  return { batches: table.batches, rowGroupSize: 5_000 };
}

/** A table written version by version, as a lakehouse job would: appends and copy-on-write rewrites of files. */
export interface VersionedTable {
  /** The rows of the current version, by id order. */
  rows(): SourceRow[];
  /** Rewrites data file `index` (copy-on-write) holding `next(rows of that file)`, and appends `added` as a new file. */
  rewrite(
    index: number,
    next: (rows: readonly SourceRow[]) => SourceRow[],
    added?: readonly SourceRow[],
  ): Promise<void>;
}

/**
 * Writes version 1 of a table of `rows` in `files` data files (`id` long, `name` string, `amount` double) and
 * returns a handle to write the next versions.
 */
export async function writeVersionedTable(
  location: string,
  rows: readonly SourceRow[],
  files = 4,
): Promise<VersionedTable> {
  const writer = await IcebergTableWriter.create({ location, fields: FIELDS.map((field) => ({ ...field })) });
  const per = Math.ceil(rows.length / files);
  const parts = Array.from({ length: files }, (_, f) => rows.slice(f * per, (f + 1) * per));
  const first = await writer.commit({ dataFiles: parts.map(file) });
  const paths = [...first.dataFiles];
  return {
    rows: () => parts.flat().sort((a, b) => a.id - b.id),
    async rewrite(index, next, added = []) {
      const rewritten = next(parts[index] ?? []);
      const dataFiles = [file(rewritten), ...(added.length > 0 ? [file(added)] : [])];
      const result = await writer.commit({ removeDataFiles: [paths[index] ?? ''], dataFiles, operation: 'overwrite' });
      parts[index] = rewritten;
      paths[index] = result.dataFiles[0] ?? '';
      if (added.length > 0) {
        parts.push([...added]);
        paths.push(result.dataFiles[1] ?? '');
      }
    },
  };
}
