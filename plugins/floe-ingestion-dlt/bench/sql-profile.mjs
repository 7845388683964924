// One PostgreSQL load through the destination, timed and optionally profiled (CPU profile of the load only).
// The table must exist: CREATE TABLE floe_prof.t (id bigint PRIMARY KEY, email text, name text,
//   amount double precision, active boolean, created_at timestamptz, country char(2), note text)
//   pnpm build && node bench/sql-profile.mjs --rows 1000000 [--batch-size 50000] [--merge] [--no-key] [--profile out.cpuprofile]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
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
import { SinkConfig } from '@floe/core';
import { createSqlDatabaseDestination } from '../dist/sql/index.js';
import { loadToDestination } from '../dist/destination/load.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'batch-size': { type: 'string', default: '50000' },
    table: { type: 'string', default: 'floe_prof.t' },
    'no-key': { type: 'boolean', default: false },
    merge: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const n = Number(args.rows);
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
const table = new Table(schema, [
  new RecordBatch(
    schema,
    makeData({ type: new Struct(fields), length: n, nullCount: 0, children: Object.values(columns) }),
  ),
]);
const sink = createSqlDatabaseDestination(
  new SinkConfig({
    sinkType: 'sql_database',
    name: 'prof',
    connectionConfig: {
      url: 'postgres://postgres@127.0.0.1:5432/test',
      table: args.table,
      ...(args['no-key'] ? {} : { primary_key: ['id'], ...(args.merge ? { write_disposition: 'merge' } : {}) }),
    },
  }),
);
const session = new Session();
if (args.profile) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const started = performance.now();
const receipt = await loadToDestination(sink, table, { batchSize: Number(args['batch-size']) });
const seconds = (performance.now() - started) / 1000;
if (args.profile) writeFileSync(args.profile, JSON.stringify((await session.post('Profiler.stop')).profile));
await sink.hooks.close();
console.log(
  JSON.stringify({
    rows: receipt.rowsDelivered,
    seconds,
    rowsPerSecond: Math.round(n / seconds),
    errors: receipt.errors.slice(0, 2),
  }),
);
