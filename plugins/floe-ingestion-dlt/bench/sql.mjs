// Benchmark of the sql_database sink on PostgreSQL: append and merge through the destination (COPY built
// column-wise from Arrow) against `psql \copy` of the same rows from a CSV file, and against
// `knex.batchInsert` (chunks of 1000 rows from Arrow row objects).
//
//   pnpm build && node bench/sql.mjs --rows 200000 [--runs 3] [--batch-size 50000] [--skip-knex]
//
// Needs PostgreSQL on 127.0.0.1:5432 (db `test`, user postgres, trust auth; FLOE_BENCH_PG_URL overrides)
// and `psql` on PATH. Prints JSON with rows/s and ratios (medians of --runs runs).
import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  Bool,
  Field,
  Float64,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  Utf8,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import knexModule from 'knex';
import { SinkConfig } from '@floe/core';
import { createSqlDatabaseDestination } from '../dist/sql/index.js';
import { loadToDestination } from '../dist/destination/load.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '1' },
    'skip-knex': { type: 'boolean', default: false },
    // Rows per batch (one transaction each); 0 = the whole table in one batch.
    'batch-size': { type: 'string', default: '50000' },
  },
});
const ROWS = Number(args.rows);
const RUNS = Number(args.runs);
const BATCH_SIZE = Number(args['batch-size']);
const URL = process.env.FLOE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = 'floe_bench';
const COLUMNS = ['id', 'email', 'name', 'amount', 'active', 'created_at', 'country', 'note'];
const DDL = `(id bigint PRIMARY KEY, email text, name text, amount double precision, active boolean,
  created_at timestamptz, country char(2), note text)`;
const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'JP', 'BR'];
const BASE_US = 1_600_000_000_000_000n;

function makeTable(n, tag) {
  const ids = new BigInt64Array(n);
  const stamps = new BigInt64Array(n);
  const amounts = new Float64Array(n);
  const emails = new Array(n);
  const names = new Array(n);
  const active = new Array(n);
  const countries = new Array(n);
  const notes = new Array(n);
  for (let i = 0; i < n; i++) {
    ids[i] = BigInt(i + 1);
    stamps[i] = BASE_US + BigInt(i) * 1_234_567n;
    amounts[i] = i * 0.37;
    emails[i] = `user${i}@example.com`;
    names[i] = `${tag} Name ${i % 1000}`;
    active[i] = i % 3 === 0;
    countries[i] = COUNTRIES[i % COUNTRIES.length];
    notes[i] = `note ${i} lorem ipsum dolor sit amet, consectetur adipiscing elit sed do`.slice(0, 60);
  }
  const columns = {
    id: makeData({ type: new Int64(), length: n, nullCount: 0, data: ids }),
    email: vectorFromArray(emails, new Utf8()).data[0],
    name: vectorFromArray(names, new Utf8()).data[0],
    amount: makeData({ type: new Float64(), length: n, nullCount: 0, data: amounts }),
    active: vectorFromArray(active, new Bool()).data[0],
    created_at: makeData({ type: new TimestampMicrosecond('UTC'), length: n, nullCount: 0, data: stamps }),
    country: vectorFromArray(countries, new Utf8()).data[0],
    note: vectorFromArray(notes, new Utf8()).data[0],
  };
  const fields = Object.entries(columns).map(([name, data]) => new Field(name, data.type, true));
  const schema = new Schema(fields);
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(fields), length: n, nullCount: 0, children: Object.values(columns) }),
  );
  return { table: new Table(schema, [batch]), ids, stamps, amounts, emails, names, active, countries, notes };
}

function csvOf(rows, from, to) {
  const quote = (s) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines = [];
  for (let i = from; i < to; i++) {
    const us = rows.stamps[i];
    const iso = new Date(Number(us / 1000n)).toISOString().slice(0, 19).replace('T', ' ');
    const micros = String(us % 1_000_000n).padStart(6, '0');
    lines.push(
      [
        rows.ids[i],
        quote(rows.emails[i]),
        quote(rows.names[i]),
        rows.amounts[i],
        rows.active[i] ? 't' : 'f',
        `${iso}.${micros}+00`,
        rows.countries[i],
        quote(rows.notes[i]),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function psql(argsList) {
  const { hostname, port, username, pathname } = new globalThis.URL(URL);
  const result = spawnSync(
    'psql',
    [
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      hostname,
      '-p',
      port || '5432',
      '-U',
      username || 'postgres',
      pathname.slice(1),
      ...argsList,
    ],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return result.stdout;
}

const sql = (text) => psql(['-c', text]);
const table = (name) => `${SCHEMA}.${name}`;
const fresh = (name) => sql(`DROP TABLE IF EXISTS ${table(name)}; CREATE TABLE ${table(name)} ${DDL}`);
const count = (name) => Number(psql(['-t', '-A', '-c', `SELECT count(*) FROM ${table(name)}`]).trim());

async function time(fn) {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function floeLoad(name, disposition, data) {
  const sink = createSqlDatabaseDestination(
    new SinkConfig({
      sinkType: 'sql_database',
      name: 'bench',
      connectionConfig: { url: URL, table: table(name), write_disposition: disposition, primary_key: ['id'] },
    }),
  );
  try {
    const receipt = await loadToDestination(sink, data, { batchSize: BATCH_SIZE });
    if (!receipt.success || receipt.rowsDelivered !== data.numRows)
      throw new Error(`floe load failed: ${JSON.stringify(receipt.errors.slice(0, 3))}`);
  } finally {
    await sink.hooks.close();
  }
}

async function knexBatchInsert(name, data) {
  const knex = knexModule.knex({ client: 'pg', connection: URL, pool: { min: 0, max: 2 } });
  try {
    const rows = data.toArray().map((row) => {
      const object = row.toJSON();
      return { ...object, created_at: new Date(object.created_at) };
    });
    await knex.batchInsert(table(name), rows, 1000);
  } finally {
    await knex.destroy();
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'floe-bench-'));
  const data = makeTable(ROWS, 'new');
  const half = Math.floor(ROWS / 2);
  const fullCsv = join(dir, 'full.csv');
  const halfCsv = join(dir, 'half.csv');
  writeFileSync(fullCsv, csvOf(data, 0, ROWS));
  const old = makeTable(half, 'old');
  writeFileSync(halfCsv, csvOf(old, 0, half));
  const list = COLUMNS.join(', ');
  const updates = COLUMNS.filter((c) => c !== 'id')
    .map((c) => `${c} = EXCLUDED.${c}`)
    .join(', ');
  const mergeScript = join(dir, 'merge.sql');
  writeFileSync(
    mergeScript,
    `BEGIN;
CREATE TEMP TABLE stage ON COMMIT DROP AS SELECT ${list} FROM ${table('merge_psql')} WITH NO DATA;
\\copy stage (${list}) FROM '${fullCsv}' WITH (FORMAT csv)
INSERT INTO ${table('merge_psql')} (${list}) SELECT ${list} FROM stage ON CONFLICT (id) DO UPDATE SET ${updates};
COMMIT;
`,
  );
  sql(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  const seconds = { psql_copy: [], floe_append: [], knex_batch_insert: [], psql_merge: [], floe_merge: [] };
  const seeded = (name) => {
    fresh(name);
    psql(['-c', `\\copy ${table(name)} (${list}) FROM '${halfCsv}' WITH (FORMAT csv)`]);
    sql(`VACUUM ANALYZE ${table(name)}`);
  };
  try {
    for (let run = 0; run < RUNS; run++) {
      fresh('append_psql');
      seconds.psql_copy.push(
        await time(() => psql(['-c', `\\copy ${table('append_psql')} (${list}) FROM '${fullCsv}' WITH (FORMAT csv)`])),
      );
      fresh('append_floe');
      seconds.floe_append.push(await time(() => floeLoad('append_floe', 'append', data.table)));
      if (count('append_floe') !== ROWS) throw new Error('append row count mismatch');
      if (!args['skip-knex']) {
        fresh('append_knex');
        seconds.knex_batch_insert.push(await time(() => knexBatchInsert('append_knex', data.table)));
      }
      seeded('merge_psql');
      seconds.psql_merge.push(await time(() => psql(['-f', mergeScript])));
      seeded('merge_floe');
      seconds.floe_merge.push(await time(() => floeLoad('merge_floe', 'merge', data.table)));
      if (count('merge_floe') !== ROWS) throw new Error('merge row count mismatch');
    }
    const diff = psql([
      '-t',
      '-A',
      '-c',
      `SELECT count(*) FROM (SELECT * FROM ${table('append_psql')} EXCEPT SELECT * FROM ${table('append_floe')}) d`,
    ]).trim();
    const results = Object.fromEntries(
      Object.entries(seconds)
        .filter(([, list]) => list.length > 0)
        .map(([name, list]) => [
          name,
          {
            medianSeconds: Number(median(list).toFixed(3)),
            medianRowsPerSecond: Math.round(ROWS / median(list)),
            bestSeconds: Number(Math.min(...list).toFixed(3)),
            bestRowsPerSecond: Math.round(ROWS / Math.min(...list)),
          },
        ]),
    );
    const ratio = (a, b, key) =>
      results[a] && results[b] ? Number((results[a][key] / results[b][key]).toFixed(2)) : undefined;
    const ratios = (key) => ({
      floe_append_vs_psql_copy: ratio('floe_append', 'psql_copy', key),
      floe_append_vs_knex_batch_insert: ratio('floe_append', 'knex_batch_insert', key),
      floe_merge_vs_psql_copy: ratio('floe_merge', 'psql_copy', key),
      floe_merge_vs_psql_merge: ratio('floe_merge', 'psql_merge', key),
    });
    console.log(
      JSON.stringify(
        {
          rows: ROWS,
          columns: COLUMNS.length,
          runs: RUNS,
          batchSize: BATCH_SIZE,
          node: process.version,
          results,
          ratiosOfMedians: ratios('medianRowsPerSecond'),
          ratiosOfBest: ratios('bestRowsPerSecond'),
          rowsDifferingFromPsqlCopy: Number(diff),
        },
        null,
        2,
      ),
    );
  } finally {
    sql(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
