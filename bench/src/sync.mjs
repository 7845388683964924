// Sync modes (issue 15): an Iceberg table of N rows × 8 columns in ≥ 40 data files (sync-table.mjs), version 1
// synced, then version 2 (1 % of the rows changed by a copy-on-write rewrite of 5 % of the files) — and version 3
// (another 1 % changed by position deletes + one new data file) — pushed three ways by the BUILT CLI
// (`floe egress run --json`, a child process, peak RSS from /usr/bin/time or /proc VmHWM):
//   full-resync — `--full-resync`: every row sent again, the state rebuilt;
//   full-scan   — `--full-scan`: every row diffed against the sync state, only the changes sent;
//   incremental — the default: the Iceberg fast path, only the changed files read and diffed;
// to PostgreSQL (sql_database, upsert) and to a loopback API (rest_api, upsert; sync-api.mjs). Each measured run
// starts from the older version synced (a run of the older version puts the destination and its state back),
// and after each run the destination must equal the newer version exactly: a count and a checksum computed
// from the generator's definition of the rows, never from a read of the table.
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearInterval, setInterval } from 'node:timers';
import { makeBatch } from './data.mjs';
import { addHash, fnv1a, recordText } from './sync-api.mjs';
import { changedScore, syncLayout } from './sync-table.mjs';
import { PG_URL, scalar, sql } from './util.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'packages/floe-cli/dist/bin.js');
// One schema per bench process: two runs at once never share (or drop) each other's tables.
const SCHEMA = `floe_bench_sync_${process.pid}`;
const TIME = '/usr/bin/time';
const PATHS = (process.env.FLOE_BENCH_SYNC_PATHS ?? 'incremental,full-scan,full-resync').split(',');
const FLAGS = { incremental: [], 'full-scan': ['--full-scan'], 'full-resync': ['--full-resync'] };
/** The two changes measured: the version synced before, the version measured. */
const VARIANTS = [
  { name: 'cow', label: 'copy-on-write rewrite', from: 1, to: 2 },
  { name: 'posdel', label: 'position deletes + new file', from: 2, to: 3 },
];

/** Runs a script as a child process; resolves its stdout parsed as JSON. */
function runJson(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${args[0]} exited ${code}`)),
    );
  });
}

/** Peak RSS (kB) of a running process, polled from /proc (VmHWM is the kernel's own high-water mark). */
function pollPeak(pid, state) {
  const timer = setInterval(() => {
    try {
      const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/);
      if (line) state.kb = Math.max(state.kb, Number(line[1]));
    } catch {
      // The process ended.
    }
  }, 50);
  return () => clearInterval(timer);
}

/**
 * `floe egress run --json …args` in `cwd`: wall seconds (spawn to exit, as a user sees it), the receipt event and
 * the child's peak RSS in MB. Throws unless the run exits 0 with a receipt.
 */
function floeRun(args, { cwd, env }) {
  const timeFile = join(cwd, 'time.txt');
  const useTime = existsSync(TIME);
  // FLOE_BENCH_NODE_ARGS: flags for the CLI's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the runs.
  const nodeArgs = (process.env.FLOE_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const argv = [...nodeArgs, BIN, 'egress', 'run', '--json', ...args];
  const command = useTime ? TIME : process.execPath;
  const commandArgs = useTime ? ['-v', '-o', timeFile, process.execPath, ...argv] : argv;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, commandArgs, {
      cwd,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const peak = { kb: 0 };
    const stop = useTime ? () => {} : pollPeak(child.pid, peak);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('close', (code) => {
      stop();
      const seconds = (performance.now() - started) / 1000;
      const events = out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line));
      const receipt = events.find((e) => e.event === 'receipt');
      if (useTime)
        peak.kb = Number(readFileSync(timeFile, 'utf8').match(/Maximum resident set size \(kbytes\): (\d+)/)[1]);
      if (code !== 0 || !receipt)
        return reject(
          new Error(`floe egress run ${args.join(' ')} exited ${code}: ${err.slice(-2000)}\n${out.slice(-2000)}`),
        );
      resolve({ seconds, receipt, rssMb: Math.round(peak.kb / 1024) });
    });
  });
}

/** floe.yaml + manifest.yaml (JSON is YAML) for one destination reading `sourceTable`. */
function writeProject(dir, destination, sourceTable) {
  mkdirSync(dir, { recursive: true });
  const manifest = {
    apiVersion: 'floe.dev/v1',
    kind: 'Manifest',
    metadata: { name: 'bench-platform', version: '1.0.0', owner: 'bench' },
    scope: 'enterprise',
    plugins: {},
    approved_sinks: ['sql_database', 'rest_api'],
  };
  const spec = {
    apiVersion: 'floe.dev/v1',
    kind: 'FloeSpec',
    metadata: { name: 'bench-sync', version: '1.0.0' },
    platform: { manifest: 'manifest.yaml' },
    transforms: [{ name: 'gold_model' }],
    destinations: [{ ...destination, source_table: sourceTable }],
  };
  writeFileSync(join(dir, 'manifest.yaml'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'floe.yaml'), JSON.stringify(spec, null, 2));
}

/** The rows of `version`, as SQL over generate_series: the generator's definition (data.mjs, sync-table.mjs). */
function expectedSql(layout, version) {
  const words = "ARRAY['alpha','bravo','charlie','delta','echo','foxtrot','golf','hotel','india','juliet']";
  const countries = "ARRAY['US','DE','FR','GB','JP','BR','IN','NL','ES','IT']";
  const fileOf = `((id - 1) / ${layout.perFile})`;
  const changed = (files) => `(${fileOf} IN (${files.join(',')}) AND id % ${layout.modulus} = 0)`;
  const note = `'note ' || id || ': ' || (${words})[id % 7 + 1] || ' ' || (${words})[id % 9 + 1] || ' ' || (${words})[id % 5 + 1] || ' lorem ipsum dolor sit amet'`;
  return `SELECT id,
      'user' || id || '@example.com' AS email,
      (${words})[id % 10 + 1] || ' ' || (${words})[(id >> 3) % 10 + 1] AS name,
      CASE ${version >= 2 ? `WHEN ${changed(layout.v2Files)} THEN ${changedScore(2, 0)} + id` : ''}
           ${version >= 3 ? `WHEN ${changed(layout.v3Files)} THEN ${changedScore(3, 0)} + id` : ''}
           WHEN (id - 1) % 97 = 0 THEN NULL ELSE ((id * 7919) % 100000)::numeric / 100 END::float8 AS score,
      (id - 1) % 3 <> 0 AS active,
      to_timestamp(0) + (1700000000000000 + id * 1000003) * interval '1 microsecond' AS updated_at,
      (${countries})[id % 10 + 1] AS country,
      CASE WHEN (id - 1) % 89 = 0 THEN NULL ELSE CASE WHEN length(${note}) >= 60 THEN ${note} ELSE rpad(${note}, 60, '.') END END AS note
    FROM generate_series(1::bigint, ${layout.rows}::bigint) AS id`;
}

/** count and checksum of rows in PostgreSQL (the same expression on both sides of a comparison). */
const pgChecksum = (from) =>
  scalar(
    `SELECT count(*) || ' ' || coalesce(sum(hashtextextended(ROW(id::bigint, email::text, name::text, score::float8,
       active::bool, updated_at::timestamptz, country::text, note::text)::text, 0)::numeric), 0) FROM (${from}) AS t`,
  );

/**
 * Count and checksum the loopback API must hold for versions 1, 2 and 3: each record encoded by the sink's JSON
 * encoder (the body it sends), parsed as the server parses it, hashed as the server hashes it. One pass over the
 * rows: v2 and v3 differ from v1 only in their changed rows.
 */
function apiExpected(layout, encodeJsonBody) {
  const sums = { 1: 0, 2: 0, 3: 0 };
  const changedIn = (files, id) => files.includes(Math.floor((id - 1) / layout.perFile)) && id % layout.modulus === 0;
  for (let start = 0; start < layout.rows; start += 65_536) {
    const batch = makeBatch(start, Math.min(65_536, layout.rows - start));
    const records = JSON.parse(encodeJsonBody(batch).toString('utf8'));
    for (const record of records) {
      const id = Number(record.id);
      const h1 = fnv1a(recordText(record));
      sums[1] = addHash(sums[1], h1);
      let h2 = h1;
      let h3 = h1;
      if (changedIn(layout.v2Files, id)) h2 = h3 = fnv1a(recordText({ ...record, score: changedScore(2, id) }));
      if (changedIn(layout.v3Files, id)) h3 = fnv1a(recordText({ ...record, score: changedScore(3, id) }));
      sums[2] = addHash(sums[2], h2);
      sums[3] = addHash(sums[3], h3);
    }
  }
  return Object.fromEntries(Object.entries(sums).map(([v, checksum]) => [v, { records: layout.rows, checksum }]));
}

/** Rows each version changes relative to the one before. */
function changedRows(layout, files) {
  let n = 0;
  for (const f of files) {
    const first = f * layout.perFile + 1;
    const last = Math.min(layout.rows, first + layout.perFile - 1);
    for (let id = first; id <= last; id++) if (id % layout.modulus === 0) n++;
  }
  return n;
}

/** Bytes of the SQLite `_floe_sync_state` table (and its index) in `file`, by dbstat; the file size without it. */
function sqliteStateBytes(file) {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try {
    const records = db.prepare('SELECT count(*) AS n FROM _floe_sync_state').get().n;
    let bytes;
    try {
      bytes = db
        .prepare(
          "SELECT sum(pgsize) AS b FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = '_floe_sync_state')",
        )
        .get().b;
    } catch {
      bytes = statSync(file).size;
    }
    return { records, bytes };
  } finally {
    db.close();
  }
}

/**
 * Measures the sync paths at `rows` rows in `files` data files; resolves the measurements (see the file header).
 * `log` prints progress on stderr.
 */
export async function measureSync({ rows, files, dir, api, log }) {
  const root = join(dir, 'sync');
  mkdirSync(root, { recursive: true });
  log(
    `sync: writing an Iceberg table of ${rows.toLocaleString('en-US')} rows × 8 columns in ${files} files, v1 → v2 → v3`,
  );
  const generated = await runJson([
    fileURLToPath(new URL('./sync-table.mjs', import.meta.url)),
    '--rows',
    String(rows),
    '--files',
    String(files),
    '--dir',
    join(root, 'table'),
  ]);
  const layout = { ...syncLayout(rows, files), ...generated.layout };
  const { versions } = generated;
  log(
    `  written in ${Object.values(versions)
      .map((v) => v.seconds.toFixed(1))
      .join(' + ')} s`,
  );
  const changes = { 2: changedRows(layout, layout.v2Files), 3: changedRows(layout, layout.v3Files) };

  log('sync: expected contents (PostgreSQL checksums of the generated definition, API checksums by the sink encoder)');
  const pgExpected = Object.fromEntries([1, 2, 3].map((v) => [v, pgChecksum(expectedSql(layout, v))]));
  const restExpected = apiExpected(layout, api.encodeJsonBody);

  const server = fork(fileURLToPath(new URL('./sync-api.mjs', import.meta.url)), ['--rows', String(rows)]);
  const { port } = await new Promise((resolve) => server.once('message', resolve));
  const ask = (message) =>
    new Promise((resolve) => {
      server.once('message', resolve);
      server.send(message);
    });

  const destinations = {
    pg: {
      env: { FLOE_SECRET_DW_URL: PG_URL },
      destination: {
        name: 'bench-pg',
        sink_type: 'sql_database',
        connection_secret_ref: 'dw',
        batch_size: 50_000,
        primary_key: ['id'],
        sync: { mode: 'upsert' },
        config: { table: `${SCHEMA}.customers` },
      },
      reset: () => sql(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`),
      contents: () => pgChecksum(`SELECT * FROM ${SCHEMA}.customers`),
      expected: (v) => pgExpected[v],
      state: () => {
        const [records, bytes] = scalar(
          `SELECT count(*) || ' ' || pg_total_relation_size('${SCHEMA}._floe_sync_state') FROM ${SCHEMA}._floe_sync_state`,
        )
          .split(' ')
          .map(Number);
        return { records, bytes };
      },
    },
    rest: {
      env: { FLOE_SECRET_API_TOKEN: 'bench' },
      destination: {
        name: 'bench-api',
        sink_type: 'rest_api',
        connection_secret_ref: 'api',
        batch_size: 1000,
        primary_key: ['id'],
        sync: { mode: 'upsert' },
        config: { base_url: `http://127.0.0.1:${port}`, upsert: { method: 'POST', path: '/' }, max_concurrency: 4 },
      },
      reset: () => {},
      contents: async () => {
        const s = await ask('stats');
        return `${s.records} ${s.checksum}`;
      },
      expected: (v) => `${restExpected[v].records} ${restExpected[v].checksum}`,
      state: (project) => sqliteStateBytes(join(project, '.floe', 'state.db')),
      /** Records the API received in the last run. */
      sent: async () => (await ask('stats')).received,
    },
  };

  const results = [];
  try {
    for (const [target, d] of Object.entries(destinations)) {
      const project = join(root, target);
      rmSync(project, { recursive: true, force: true });
      d.reset();
      let at = 0;
      const run = async (version, path, flags) => {
        writeProject(project, d.destination, versions[version].metadata);
        if (target === 'rest') server.send('reset-run');
        const measured = await floeRun(['--spec', join(project, 'floe.yaml'), ...flags], { cwd: project, env: d.env });
        const contents = await d.contents();
        const expected = d.expected(version);
        if (contents !== expected)
          throw new Error(`sync ${target} ${path} v${version}: destination holds ${contents}, expected ${expected}`);
        at = version;
        const sync = measured.receipt.sync ?? {};
        const sent = measured.receipt.receipt.rowsDelivered;
        const received = target === 'rest' ? await d.sent() : sent;
        if (received !== sent)
          throw new Error(`sync ${target} ${path}: the receipt counts ${sent} rows sent, the API received ${received}`);
        return { ...measured, sync, sent };
      };
      log(`sync → ${target}: version 1, first run (every row)`);
      const initial = await run(1, 'initial', []);
      const initialState = d.state(project);
      results.push(row(target, 'v1', 'initial', initial, initialState, versions[1], rows));
      for (const variant of VARIANTS) {
        for (const path of PATHS) {
          if (at !== variant.from) {
            log(`sync → ${target}: back to version ${variant.from}`);
            await run(variant.from, 'revert', []);
          }
          const result = await run(variant.to, path, FLAGS[path]);
          const expectSent = path === 'full-resync' ? rows : changes[variant.to];
          if (result.sync.path !== path)
            throw new Error(
              `sync ${target} ${variant.name} ${path}: the run took path ${result.sync.path} (${result.sync.reason})`,
            );
          if (result.sent !== expectSent)
            throw new Error(
              `sync ${target} ${variant.name} ${path}: sent ${result.sent} rows, expected ${expectSent}: ${JSON.stringify(result.sync)}`,
            );
          const state = d.state(project);
          const r = row(target, variant.name, path, result, state, versions[variant.to], expectSent);
          results.push(r);
          log(
            `sync → ${target} ${variant.name} ${path}: ${r.seconds} s, read ${(r.bytesRead / 1e6).toFixed(1)} MB (${r.bytesReadPct} % of the data), sent ${r.rowsSent.toLocaleString('en-US')}, ${r.rssMb} MB RSS, state ${r.stateBytesPerRecord} B/record`,
          );
        }
      }
    }
  } finally {
    server.kill();
    sql(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  }
  return {
    rows,
    files,
    changed: { v2: changes[2], v3: changes[3] },
    layout: { perFile: layout.perFile, v2Files: layout.v2Files, v3Files: layout.v3Files, modulus: layout.modulus },
    table: Object.fromEntries(
      Object.entries(versions).map(([v, x]) => [
        `v${v}`,
        { dataBytes: x.dataBytes, dataFiles: x.dataFiles, writeSeconds: Number(x.seconds.toFixed(1)) },
      ]),
    ),
    runs: results,
  };
}

function row(target, variant, path, result, state, version, expectedSent) {
  const bytesRead = result.sync.bytesRead ?? null;
  return {
    target,
    variant,
    path,
    syncPath: result.sync.path,
    seconds: Number(result.seconds.toFixed(2)),
    bytesRead,
    dataBytes: version.dataBytes,
    bytesReadPct: bytesRead === null ? null : Number(((100 * bytesRead) / version.dataBytes).toFixed(1)),
    rowsSent: result.sent,
    expectedSent,
    inserts: result.sync.inserts,
    updates: result.sync.updates,
    rssMb: result.rssMb,
    stateRecords: state.records,
    stateBytes: state.bytes,
    stateBytesPerRecord: Number((state.bytes / state.records).toFixed(1)),
  };
}
