import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'lossless-json';
import type { RecordBatch } from 'apache-arrow';
import { IcebergTableWriter } from '../../src/testing/index.js';
import { smallBatch } from './generate.js';

/** `{ id: long, region: string, v: long }`, identity-partitioned by region. */
export const REGION_FIELDS = [
  { id: 1, name: 'id', required: true, type: 'long' },
  { id: 2, name: 'region', required: false, type: 'string' },
  { id: 3, name: 'v', required: false, type: 'long' },
];

/** Rows `ids` of `region`, with `v = id * 10 + bump`. */
export function regionBatch(region: string, ids: readonly number[], bump = 0): RecordBatch {
  return smallBatch({
    id: ids.map(BigInt),
    region: ids.map(() => region),
    v: ids.map((i) => BigInt(i * 10 + bump)),
  });
}

export const span = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** A region table with three files: eu ids 0–99, us ids 100–199, eu ids 200–299 (one snapshot). */
export async function regionTable(
  location: string,
  options: { columnStats?: boolean } = {},
): Promise<{
  writer: IcebergTableWriter;
  snapshotId: bigint;
  files: { eu1: string; us1: string; eu2: string };
}> {
  const writer = await IcebergTableWriter.create({
    location,
    fields: REGION_FIELDS,
    partitionBy: [{ sourceId: 2, name: 'region' }],
    ...options,
  });
  const { snapshotId, dataFiles } = await writer.commit({
    dataFiles: [
      { batches: [regionBatch('eu', span(0, 100))], partition: { region: 'eu' } },
      { batches: [regionBatch('us', span(100, 200))], partition: { region: 'us' } },
      { batches: [regionBatch('eu', span(200, 300))], partition: { region: 'eu' } },
    ],
  });
  const [eu1, us1, eu2] = dataFiles as [string, string, string];
  return { writer, snapshotId, files: { eu1, us1, eu2 } };
}

/** Runs `fn` while `files` are renamed away (a read that touches one of them fails). */
export async function withFilesHidden<T>(files: readonly string[], fn: () => Promise<T>): Promise<T> {
  for (const f of files) await rename(f, `${f}.hidden`);
  try {
    return await fn();
  } finally {
    for (const f of files) await rename(`${f}.hidden`, f);
  }
}

/**
 * Writes the table's newest metadata again as a new version, changed by `edit` (expire snapshots,
 * roll back…) — from `source`, default the newest; returns the new metadata file.
 */
export async function editMetadata(
  location: string,
  edit: (doc: Record<string, unknown>) => void,
  source?: string,
): Promise<string> {
  const folder = join(location, 'metadata');
  const versions = (await readdir(folder))
    .map((n) => /^v(\d+)\.metadata\.json$/.exec(n)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number);
  const latest = Math.max(...versions);
  const text = await readFile(source ?? join(folder, `v${latest}.metadata.json`), 'utf8');
  const doc = parse(text) as Record<string, unknown>;
  edit(doc);
  const target = join(folder, `v${latest + 1}.metadata.json`);
  await writeFile(target, stringify(doc, null, 2) ?? '');
  return target;
}
