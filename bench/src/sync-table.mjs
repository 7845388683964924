// The sync benchmark's table (issue 15): N rows × 8 columns (the bench's rows, data.mjs) in F data files written
// with @floe/lakehouse's test writer, rows generated on the fly file by file, then two more versions:
//   v2 — 1 % of the rows change (score) by a copy-on-write rewrite of 5 % of the files;
//   v3 — another 1 % change merge-on-read: position deletes on 5 % of the files + one data file with the new rows.
// Runs as a child process (its memory and CPU are not the measured runs'):
//   node src/sync-table.mjs --rows 1000000 --files 40 --dir /tmp/t   → JSON on stdout
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Float64, makeData, RecordBatch, Struct } from 'apache-arrow';
import { BENCH_SCHEMA, makeBatch } from './data.mjs';

/** Iceberg fields of the bench schema (ids 1…8, as data.mjs orders the columns). */
export const SYNC_FIELDS = [
  { id: 1, name: 'id', required: true, type: 'long' },
  { id: 2, name: 'email', required: false, type: 'string' },
  { id: 3, name: 'name', required: false, type: 'string' },
  { id: 4, name: 'score', required: false, type: 'double' },
  { id: 5, name: 'active', required: false, type: 'boolean' },
  { id: 6, name: 'updated_at', required: false, type: 'timestamptz' },
  { id: 7, name: 'country', required: false, type: 'string' },
  { id: 8, name: 'note', required: false, type: 'string' },
];

/**
 * Which rows each version changes, as a pure function of the layout: the files (5 % of them, at least one) and
 * the modulus of the ids changed in them, so 1 % of all rows change. Shared by the writer and the checks
 * (the expected contents are computed from this, never from a read of the table).
 */
export function syncLayout(rows, files) {
  const perFile = Math.ceil(rows / files);
  const touched = Math.max(1, Math.floor(files * 0.05));
  const modulus = Math.max(1, Math.round((touched * perFile) / (rows * 0.01)));
  const spread = (offset) => Array.from({ length: touched }, (_, i) => Math.floor((i * files) / touched) + offset);
  return {
    rows,
    files,
    perFile,
    modulus,
    /** Files rewritten by v2 (copy-on-write) and hit by v3's position deletes. */
    v2Files: spread(0),
    v3Files: spread(1),
    /** The first id (1-based) and the row count of file `f`. */
    fileRange: (f) => ({ first: f * perFile + 1, count: Math.max(0, Math.min(perFile, rows - f * perFile)) }),
  };
}

/** The score of row `id` as of version 2 and 3 when the version changed it (else `undefined`). */
export const changedScore = (version, id) => (version === 2 ? 1_000_000 + id : 2_000_000 + id);

/** Batches of file `f`'s rows, 65,536 at a time, with `change(id)` overriding the score (null: keep). */
function* fileBatches(layout, f, change) {
  const { first, count } = layout.fileRange(f);
  for (let off = 0; off < count; off += 65_536) {
    const batch = makeBatch(first - 1 + off, Math.min(65_536, count - off));
    yield change ? withScores(batch, change) : batch;
  }
}

/** `batch` with the score of the rows `change(id)` answers a number for replaced (and made valid). */
function withScores(batch, change) {
  const ids = batch.getChild('id').data[0].values;
  const old = batch.getChild('score').data[0];
  const scores = Float64Array.from(old.values);
  const valid = old.nullBitmap
    ? Uint8Array.from(old.nullBitmap)
    : new Uint8Array(Math.ceil(batch.numRows / 8)).fill(255);
  let nulls = 0;
  for (let i = 0; i < batch.numRows; i++) {
    const next = change(Number(ids[i]));
    if (next !== undefined) {
      scores[i] = next;
      valid[i >> 3] |= 1 << (i & 7);
    }
    if ((valid[i >> 3] & (1 << (i & 7))) === 0) nulls++;
  }
  const children = batch.data.children.slice();
  children[3] = makeData({
    type: new Float64(),
    length: batch.numRows,
    data: scores,
    nullBitmap: valid,
    nullCount: nulls,
  });
  const data = makeData({ type: new Struct(BENCH_SCHEMA.fields), length: batch.numRows, nullCount: 0, children });
  return new RecordBatch(BENCH_SCHEMA, data);
}

/** Only the rows of file `f` that `version` changes, with their new scores (v3's appended data file). */
function* changedRows(layout, f, version) {
  const { first, count } = layout.fileRange(f);
  const ids = [];
  for (let id = first; id < first + count; id++) if (id % layout.modulus === 0) ids.push(id);
  for (let at = 0; at < ids.length; at += 65_536) {
    const part = ids.slice(at, at + 65_536);
    yield withScores(
      makeBatch(0, part.length, (i) => part[i]),
      (id) => changedScore(version, id),
    );
  }
}

/** Writes v1, v2 and v3 into `dir`; resolves what the measurements need about each version. */
export async function writeSyncTable({ dir, rows, files }) {
  const { IcebergTableWriter } = await import('@floe/lakehouse/testing');
  const layout = syncLayout(rows, files);
  const writer = await IcebergTableWriter.create({ location: dir, fields: SYNC_FIELDS });
  const localPath = (recorded) => recorded.replace(/^file:\/\//, '');
  const versions = {};
  const live = new Map(); // recorded path → bytes
  const record = (version, started) => {
    versions[version] = {
      metadata: `${dir}/metadata/v${version}.metadata.json`,
      dataBytes: [...live.values()].reduce((a, b) => a + b, 0),
      dataFiles: live.size,
      seconds: (performance.now() - started) / 1000,
    };
  };

  let started = performance.now();
  const first = await writer.commit({
    dataFiles: Array.from({ length: files }, (_, f) => ({ batches: fileBatches(layout, f), rowGroupSize: 100_000 })),
  });
  const paths = [...first.dataFiles];
  for (const p of paths) live.set(p, statSync(localPath(p)).size);
  // The writer's create() wrote v1 (no snapshot): the first commit is v2. Versions are named by commit here.
  const metadataVersion = { 1: 2, 2: 3, 3: 4 };
  record(1, started);

  started = performance.now();
  const change2 = (id) => (id % layout.modulus === 0 ? changedScore(2, id) : undefined);
  const rewrite = await writer.commit({
    removeDataFiles: layout.v2Files.map((f) => paths[f]),
    dataFiles: layout.v2Files.map((f) => ({ batches: fileBatches(layout, f, change2), rowGroupSize: 100_000 })),
    operation: 'overwrite',
  });
  for (const f of layout.v2Files) live.delete(paths[f]);
  layout.v2Files.forEach((f, i) => (paths[f] = rewrite.dataFiles[i]));
  for (const p of rewrite.dataFiles) live.set(p, statSync(localPath(p)).size);
  record(2, started);

  started = performance.now();
  const deletes = [];
  for (const f of layout.v3Files) {
    const { first: id0, count } = layout.fileRange(f);
    for (let pos = 0; pos < count; pos++) if ((id0 + pos) % layout.modulus === 0) deletes.push({ path: paths[f], pos });
  }
  const merge = await writer.commit({
    positionDeletes: [{ rows: deletes }],
    dataFiles: [
      {
        batches: (function* () {
          for (const f of layout.v3Files) yield* changedRows(layout, f, 3);
        })(),
        rowGroupSize: 100_000,
      },
    ],
    operation: 'overwrite',
  });
  for (const p of merge.dataFiles) live.set(p, statSync(localPath(p)).size);
  record(3, started);

  for (const v of [1, 2, 3]) versions[v].metadata = `${dir}/metadata/v${metadataVersion[v]}.metadata.json`;
  return {
    layout: {
      rows,
      files,
      perFile: layout.perFile,
      modulus: layout.modulus,
      v2Files: layout.v2Files,
      v3Files: layout.v3Files,
    },
    versions,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { rows: { type: 'string' }, files: { type: 'string', default: '40' }, dir: { type: 'string' } },
  });
  const result = await writeSyncTable({ dir: values.dir, rows: Number(values.rows), files: Number(values.files) });
  console.log(JSON.stringify(result));
}
