// PostgreSQL: the sql_database sink (append, merge) against `psql \copy` of the same rows from CSV (the floor),
// a psql staging merge (COPY into a temp table + INSERT … ON CONFLICT), and knex.batchInsert(1000), the
// loop a user would hand-write. Every path loads the same rows into the same table definition.
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import knexModule from 'knex';
import { benchCsv } from './data.mjs';
import { deliver, PG_URL, psql, scalar, seconds, sql } from './util.mjs';

const SCHEMA = 'floe_bench';
const COLUMNS = ['id', 'email', 'name', 'score', 'active', 'updated_at', 'country', 'note'];
const DDL = `(id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL, score double precision, active boolean NOT NULL,
  updated_at timestamptz NOT NULL, country char(2) NOT NULL, note text)`;
const table = (name) => `${SCHEMA}.${name}`;
const fresh = (name) => sql(`DROP TABLE IF EXISTS ${table(name)}; CREATE TABLE ${table(name)} ${DDL}`);

async function writeCsv(file, rows) {
  const out = createWriteStream(file);
  for (const chunk of benchCsv(rows)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** Prepares CSV files and returns the PostgreSQL paths; each path returns seconds for one run. */
export async function postgresPaths({ rows, dir, data, api }) {
  sql(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  const fullCsv = join(dir, 'full.csv');
  const halfCsv = join(dir, 'half.csv');
  await writeCsv(fullCsv, rows);
  // The merge target already holds the first half of the rows with other values: half updates, half inserts.
  await writeCsv(halfCsv, Math.floor(rows / 2));
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
  const seed = (name) => {
    fresh(name);
    psql(['-c', `\\copy ${table(name)} (${list}) FROM '${halfCsv}' WITH (FORMAT csv)`]);
    sql(`UPDATE ${table(name)} SET name = 'old ' || name`);
    sql(`VACUUM ANALYZE ${table(name)}`);
  };
  const sink = (name, disposition) => ({
    sinkType: 'sql_database',
    name: `bench-${disposition}`,
    batchSize: 50_000,
    connectionConfig: {
      url: PG_URL,
      table: table(name),
      write_disposition: disposition,
      primary_key: ['id'],
      create_table: false,
      max_concurrency: 2,
    },
  });
  // The isolation path takes the first 100,000 rows at most (isolating 1M rows would dominate the run).
  const isolateRows = Math.min(rows, 100_000);
  const isolateData = data.slice(0, isolateRows);
  const expectCount = (name) => {
    const n = Number(scalar(`SELECT count(*) FROM ${table(name)}`));
    if (n !== rows) throw new Error(`${name}: ${n} rows, expected ${rows}`);
  };
  return {
    pg_psql_copy: {
      setup: () => fresh('append_psql'),
      run: () =>
        seconds(() => psql(['-c', `\\copy ${table('append_psql')} (${list}) FROM '${fullCsv}' WITH (FORMAT csv)`])),
      check: () => expectCount('append_psql'),
    },
    pg_append: {
      setup: () => fresh('append_floe'),
      run: () => seconds(() => deliver(api, sink('append_floe', 'append'), data, rows)),
      check: () => {
        expectCount('append_floe');
        const differing = scalar(
          `SELECT count(*) FROM (SELECT * FROM ${table('append_psql')} EXCEPT SELECT * FROM ${table('append_floe')}) d`,
        );
        if (differing !== '0') throw new Error(`pg_append: ${differing} rows differ from psql \\copy of the same data`);
      },
    },
    pg_knex_batch_insert: {
      setup: () => fresh('append_knex'),
      run: () => seconds(() => knexBatchInsert(table('append_knex'), data)),
      check: () => expectCount('append_knex'),
    },
    pg_psql_merge: {
      setup: () => seed('merge_psql'),
      run: () => seconds(() => psql(['-f', mergeScript])),
      check: () => expectCount('merge_psql'),
    },
    pg_merge: {
      setup: () => seed('merge_floe'),
      run: () => seconds(() => deliver(api, sink('merge_floe', 'merge'), data, rows)),
      check: () => {
        expectCount('merge_floe');
        const differing = scalar(
          `SELECT count(*) FROM (SELECT * FROM ${table('merge_psql')} EXCEPT SELECT * FROM ${table('merge_floe')}) d`,
        );
        if (differing !== '0')
          throw new Error(`pg_merge: ${differing} rows differ from the psql merge of the same data`);
      },
    },
    // 75 % of the rows break a CHECK: the sink isolates them (one transaction, row by row under savepoints).
    pg_isolate_75pct: {
      rows: isolateRows,
      setup: () =>
        sql(
          `DROP TABLE IF EXISTS ${table('isolate_floe')}; CREATE TABLE ${table('isolate_floe')} ${DDL.replace(/\)$/, ', CHECK (id % 4 = 0))')}`,
        ),
      run: () => seconds(() => deliverIsolating(api, sink('isolate_floe', 'append'), isolateData, isolateRows)),
      check: () => {
        const n = Number(scalar(`SELECT count(*) FROM ${table('isolate_floe')}`));
        if (n !== Math.floor(isolateRows / 4))
          throw new Error(`pg_isolate_75pct: ${n} rows, expected ${isolateRows / 4}`);
      },
    },
    cleanup: () => sql(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`),
  };
}

/** What a user would hand-write: Arrow rows → objects → knex.batchInsert in chunks of 1000. */
async function knexBatchInsert(name, data) {
  const knex = knexModule.knex({ client: 'pg', connection: PG_URL, pool: { min: 0, max: 2 } });
  try {
    for (const batch of data.batches) {
      const objects = batch.toArray().map((row) => {
        const object = row.toJSON();
        return { ...object, updated_at: new Date(object.updated_at) };
      });
      await knex.batchInsert(name, objects, 1000);
    }
  } finally {
    await knex.destroy();
  }
}

/** Delivers `data` into a table refusing 3 rows in 4: the good rows land, every other row is reported rejected. */
async function deliverIsolating({ DltIngestionPlugin, SinkConfig }, init, data, rows) {
  const plugin = new DltIngestionPlugin();
  await plugin.startup();
  try {
    const sink = await plugin.createSink(new SinkConfig(init));
    const receipt = await plugin.write(sink, data);
    const good = Math.floor(rows / 4);
    const rejected = (receipt.errors ?? []).length;
    if (receipt.rowsDelivered !== good || rejected !== rows - good) {
      throw new Error(
        `isolation: ${receipt.rowsDelivered} delivered, ${rejected} rejected, expected ${good} and ${rows - good}`,
      );
    }
    return receipt;
  } finally {
    await plugin.shutdown();
  }
}
