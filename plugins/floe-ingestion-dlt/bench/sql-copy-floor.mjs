// The COPY floor from Node, without the destination: psql \copy of a CSV vs COPY text / binary from the
// encoders, pre-encoded or encoded on the fly, into a fresh copy of the bench table.
//   pnpm build && node bench/sql-copy-floor.mjs 1000000 psql,text-pre,binary-pre,text-fly,binary-fly
// (`psql` reads /tmp/bench1m.csv; create it with bench/sql.mjs's CSV or skip that mode.)
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import copy from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { copyTextChunks } from '../dist/sql/encode/copy-text-encoder.js';
import { binaryCopyEncoder } from '../dist/sql/encode/copy-binary-encoder.js';
import { spawnSync } from 'node:child_process';
import { columnKind } from '../dist/sql/column-kind.js';
import { Bool, Float64, Int64, TimestampMicrosecond, Utf8, makeData, vectorFromArray } from 'apache-arrow';
const n = Number(process.argv[2] ?? 1_000_000);
const ids = new BigInt64Array(n),
  stamps = new BigInt64Array(n),
  amounts = new Float64Array(n);
const emails = [],
  names = [],
  active = [],
  countries = [],
  notes = [];
for (let i = 0; i < n; i++) {
  ids[i] = BigInt(i + 1);
  stamps[i] = 1600000000000000n + BigInt(i) * 1234567n;
  amounts[i] = i * 0.37;
  emails.push(`user${i}@example.com`);
  names.push(`new Name ${i % 1000}`);
  active.push(i % 3 === 0);
  countries.push('US');
  notes.push(`note ${i} lorem ipsum dolor sit amet, consectetur adipiscing elit sed do`.slice(0, 60));
}
const cols = [
  makeData({ type: new Int64(), length: n, nullCount: 0, data: ids }),
  vectorFromArray(emails, new Utf8()).data[0],
  vectorFromArray(names, new Utf8()).data[0],
  makeData({ type: new Float64(), length: n, nullCount: 0, data: amounts }),
  vectorFromArray(active, new Bool()).data[0],
  makeData({ type: new TimestampMicrosecond('UTC'), length: n, nullCount: 0, data: stamps }),
  vectorFromArray(countries, new Utf8()).data[0],
  vectorFromArray(notes, new Utf8()).data[0],
];
const columns = cols.map((d) => ({ data: d, kind: columnKind(d.type) }));
const rows = new Int32Array(n);
for (let i = 0; i < n; i++) rows[i] = i;
const chunks = [...copyTextChunks(columns, rows)];
const binary = binaryCopyEncoder(columns, [
  'bigint',
  'text',
  'text',
  'double precision',
  'boolean',
  'timestamp with time zone',
  'character(2)',
  'text',
]);
const binChunks = [...binary(rows)];
const client = new pg.Client('postgres://postgres@127.0.0.1:5432/test');
await client.connect();
for (const mode of (process.argv[3] ?? 'psql,text-pre,binary-pre,text-fly,binary-fly').split(',')) {
  await client.query(
    'CREATE SCHEMA IF NOT EXISTS floe_prof; DROP TABLE IF EXISTS floe_prof.f; CREATE TABLE floe_prof.f (id bigint PRIMARY KEY, email text, name text, amount double precision, active boolean, created_at timestamptz, country char(2), note text)',
  );
  const t = performance.now();
  if (mode === 'psql') {
    spawnSync('psql', [
      '-X',
      '-q',
      '-h',
      '127.0.0.1',
      '-U',
      'postgres',
      'test',
      '-c',
      "\\copy floe_prof.f FROM '/tmp/bench1m.csv' WITH (FORMAT csv)",
    ]);
  } else {
    await client.query('BEGIN');
    const source =
      mode === 'text-pre'
        ? Readable.from(chunks, { objectMode: false })
        : mode === 'binary-pre'
          ? Readable.from(binChunks, { objectMode: false })
          : mode === 'text-fly'
            ? Readable.from(copyTextChunks(columns, rows), { objectMode: false })
            : Readable.from(binary(rows), { objectMode: false });
    await pipeline(
      source,
      client.query(copy.from(`COPY floe_prof.f FROM STDIN${mode.startsWith('binary') ? ' (FORMAT binary)' : ''}`)),
    );
    await client.query('COMMIT');
  }
  const s = (performance.now() - t) / 1000;
  console.log(mode, Math.round(n / s), 'rows/s', s.toFixed(2), 's');
}
await client.query('DROP SCHEMA floe_prof CASCADE');
await client.end();
