// Turns the medians into the ratios the benchmark issue sets targets for, and writes docs/benchmarks.md
// (a table a reader can scan, and a chart of each ratio against its target).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { syncSection, syncSectionOf, syncTargets, syncText, withSyncSection } from './sync-report.mjs';
import { cpus } from 'node:os';

const ratio = (a, b) => (a && b ? Number((a / b).toFixed(2)) : null);

export function evaluate({ rows, runs, rowsPerS, samples, rss, extras, sync }) {
  const r = rowsPerS;
  const ratios = {
    pg_append_vs_psql_copy: ratio(r.pg_append, r.pg_psql_copy),
    pg_merge_vs_psql_merge: ratio(r.pg_merge, r.pg_psql_merge),
    pg_merge_vs_psql_copy: ratio(r.pg_merge, r.pg_psql_copy),
    pg_append_vs_knex_batch_insert: ratio(r.pg_append, r.pg_knex_batch_insert),
    rest_vs_bare_client: ratio(r.rest_api, r.rest_bare_undici),
    rest_bare_got_vs_bare_client: ratio(r.rest_bare_got, r.rest_bare_undici),
    rest_vs_bare_got: ratio(r.rest_api, r.rest_bare_got),
    rest_encode_thread_vs_bare_client: ratio(r.rest_api_encode_thread, r.rest_bare_undici),
  };
  const rssEntries = Object.entries(rss)
    .map(([n, m]) => [Number(n), m.rssMb])
    .sort((a, b) => a[0] - b[0]);
  const rssMb = Object.fromEntries(rssEntries.map(([n, mb]) => [`rows_${n}`, mb]));
  const [small, large] = [rssEntries[0], rssEntries.at(-1)];
  const rssGrowth = small && large && large[0] > small[0] ? ratio(large[1], small[1]) : null;
  const targets = [
    ['PostgreSQL isolation, CHECK refusing 75 % ≥ 2,000 rows/s', r.pg_isolate_75pct ?? null, 2000],
    ['PostgreSQL append ≥ 0.8× psql \\copy', ratios.pg_append_vs_psql_copy, 0.8],
    ['PostgreSQL merge ≥ 0.5× psql \\copy', ratios.pg_merge_vs_psql_copy, 0.5],
    ['PostgreSQL append ≥ 8× knex.batchInsert', ratios.pg_append_vs_knex_batch_insert, 8],
    ['rest_api ≥ 0.8× bare undici client', ratios.rest_vs_bare_client, 0.8],
    ['Iceberg read ≥ 1M rows/s', r.iceberg_read ?? null, 1_000_000],
    ['RSS at 10× rows ≤ 1.2× RSS at 1×', rssGrowth, 1.2, 'max'],
    ['RSS of the largest run ≤ 300 MB', large?.[1] ?? null, 300, 'max'],
  ].map(([name, value, target, kind = 'min']) => ({
    name,
    value,
    target,
    met: value === null ? null : kind === 'min' ? value >= target : value <= target,
  }));
  const result = {
    rows,
    runs,
    node: process.version,
    cpus: cpus().length,
    rows_per_s: rowsPerS,
    samples_rows_per_s: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map(Math.round)])),
    ratios,
    iceberg_read_rows_per_s: r.iceberg_read ?? null,
    rss_mb: { ...rssMb, growth: rssGrowth },
    extras,
    targets,
    ...(sync && { sync: { ...sync, targets: syncTargets(sync) } }),
  };
  return { ...result, text: toText(result) };
}

function toText(result) {
  if (Object.keys(result.rows_per_s).length === 0 && result.targets.every((t) => t.value === null) && result.sync)
    return syncText(result.sync).join('\n').trimStart();
  const lines = [
    `${result.rows.toLocaleString('en-US')} rows × 8 columns, medians of ${result.runs} runs (${result.node}, ${result.cpus} cores)`,
    '',
  ];
  for (const [name, value] of Object.entries(result.rows_per_s))
    lines.push(`  ${name.padEnd(24)} ${value.toLocaleString('en-US').padStart(12)} rows/s`);
  lines.push('');
  for (const t of result.targets)
    lines.push(`  ${t.met === null ? '·' : t.met ? '✔' : '✘'} ${t.name}: ${t.value ?? 'not measured'}`);
  if (result.sync) lines.push(...syncText(result.sync));
  return lines.join('\n');
}

const PATH_LABELS = {
  pg_psql_copy: 'PostgreSQL `psql \\copy` from CSV (the floor)',
  pg_append: 'PostgreSQL `append`, sql_database sink (binary COPY from Arrow; 50,000-row batches, 2 at once)',
  pg_knex_batch_insert: 'PostgreSQL `knex.batchInsert`, chunks of 1000',
  pg_psql_merge: 'PostgreSQL `psql`: COPY to staging + INSERT … ON CONFLICT',
  pg_merge: 'PostgreSQL `merge`, sql_database sink (50,000-row batches, 2 at once)',
  pg_isolate_75pct:
    'PostgreSQL `append` into a table whose CHECK refuses 75 % of the rows (first 100,000 rows): rows/s isolated',
  rest_bare_undici: 'REST: bare undici keep-alive Pool, 1000 rows/body, 4 in flight',
  rest_bare_got: "REST: bare got (the sink's HTTP client), same loop, 1000 rows/body, 4 in flight",
  rest_api:
    'REST: rest_api sink, 1000 rows/body, 4 in flight (default: on 2 cores, bodies encoded on the sending thread)',
  rest_api_encode_thread: 'REST: rest_api sink, the same with `encode_threads: 1` (bodies encoded on a worker thread)',
  mariadb_append: 'MariaDB `append`, sql_database sink (50,000-row batches, 2 at once)',
  sqlite_append: 'SQLite `append`, sql_database sink',
  iceberg_read: 'Iceberg read, @floe/lakehouse (Parquet → Arrow)',
};

export function writeReport(result) {
  const docs = new URL('../../docs/', import.meta.url);
  mkdirSync(docs, { recursive: true });
  const mdFile = new URL('benchmarks.md', docs);
  const jsonFile = new URL('benchmarks.json', docs);
  const oldMd = existsSync(mdFile) ? readFileSync(mdFile, 'utf8') : '';
  const oldJson = existsSync(jsonFile) ? JSON.parse(readFileSync(jsonFile, 'utf8')) : {};
  const date = new Date().toISOString().slice(0, 10);
  const sync = result.sync ? syncSection(result.sync, date, SYNC_LIMITS) : syncSectionOf(oldMd);
  const { text: _text, ...json } = result;
  // A run of the sync group alone replaces only its section (and its key of the JSON); the rest stays.
  if (Object.keys(result.rows_per_s).length === 0 && Object.keys(result.rss_mb).length <= 1 && result.sync) {
    writeFileSync(mdFile, oldMd === '' ? `# Benchmarks\n\n${sync}\n` : withSyncSection(oldMd, sync));
    writeFileSync(jsonFile, `${JSON.stringify({ ...oldJson, sync: json.sync }, null, 2)}\n`);
    return;
  }
  const md = [
    '# Benchmarks',
    '',
    `Generated by \`pnpm bench\` (\`bench/src/main.mjs\`) on ${new Date().toISOString().slice(0, 10)}: ${result.rows.toLocaleString('en-US')} rows × 8 columns`,
    '(bigint id, two short texts, double, boolean, timestamptz with µs, char(2), ~60-character text), the same',
    `rows and the same databases for every path, medians of ${result.runs} interleaved runs, ${result.node} on ${result.cpus} cores.`,
    "Absolute numbers move with the machine's load; the ratios are measured within one run and are what the targets are about.",
    '',
    '![ratios against targets](benchmarks.svg)',
    '',
    '## Targets',
    '',
    '| target | measured | met |',
    '|---|---:|:---:|',
    ...result.targets.map(
      (t) =>
        `| ${t.name} | ${t.value === null ? '—' : t.value.toLocaleString('en-US')} | ${t.met === null ? 'not run' : t.met ? 'yes' : '**no**'} |`,
    ),
    '',
    '## Rows per second',
    '',
    '| path | rows/s (median) | runs |',
    '|---|---:|---|',
    ...Object.entries(result.rows_per_s).map(
      ([name, value]) =>
        `| ${PATH_LABELS[name] ?? name} | ${value.toLocaleString('en-US')} | ${result.samples_rows_per_s[name].map((v) => v.toLocaleString('en-US')).join(', ')} |`,
    ),
    '',
    '## Memory',
    '',
    '| streaming egress to PostgreSQL | peak RSS |',
    '|---|---:|',
    ...Object.entries(result.rss_mb)
      .filter(([k]) => k.startsWith('rows_'))
      .map(([k, mb]) => `| ${Number(k.slice(5)).toLocaleString('en-US')} rows | ${mb} MB |`),
    '',
    'Every measured path is checked after each run: the destination holds exactly the expected rows, and the',
    "sink's PostgreSQL tables equal the `psql` ones row for row (same count, primary key, and an empty `EXCEPT`: any",
    'difference would show, including lost microseconds). `knex.batchInsert` goes through JS `Date` and loses microseconds;',
    'it is measured as the loop a user would hand-write, not as a correct alternative.',
    '',
    ...limits(result),
    ...(sync === '' ? [] : [sync, '']),
  ].join('\n');
  writeFileSync(mdFile, md);
  const keptSync = json.sync ?? oldJson.sync;
  writeFileSync(jsonFile, `${JSON.stringify({ ...json, ...(keptSync && { sync: keptSync }) }, null, 2)}\n`);
  writeFileSync(
    new URL('benchmarks.svg', docs),
    chart(result.targets.filter((t) => t.value !== null && t.target < 100)),
  );
}

/**
 * One paragraph per target this run missed: what limits it, with the profile evidence behind it (measured on this
 * machine while tuning the sinks; `node --cpu-prof`, per-phase timers, psql side by side). Kept here so a
 * regenerated report keeps them, and only the missed ones are printed.
 */
function limits(result) {
  const x = (value) => (value === null || value === undefined ? '—' : `${value}×`);
  const { ratios, rows_per_s: r, rss_mb: rss } = result;
  const psqlMergeVsCopy = ratio(r.pg_psql_merge, r.pg_psql_copy);
  const notes = {
    'PostgreSQL append ≥ 0.8× psql \\copy':
      "Both are bound by PostgreSQL's COPY processing, one backend per transaction. The sink encodes binary COPY " +
      'column by column straight from the Arrow buffers into reused chunk buffers, screens the next batch while one ' +
      "is written and writes 2 batches at once (`max_concurrency`), so on a quiet machine it passes `psql`'s single " +
      "stream; on a busy one Node's encoding competes with the backends for the 2 cores.",
    'PostgreSQL merge ≥ 0.5× psql \\copy':
      `PostgreSQL's upsert is the limit, not the client: \`psql\` alone, COPY into a staging table + \`INSERT … ON ` +
      `CONFLICT DO UPDATE\` over the same rows, ran at ${x(psqlMergeVsCopy)} \`\\copy\` in this run, and the sink at ` +
      `${x(ratios.pg_merge_vs_psql_merge)} that script (50,000-row transactions, 2 at once).`,
    'PostgreSQL append ≥ 8× knex.batchInsert':
      "`knex.batchInsert` is bound by Node's CPU (an object per row, SQL text, parameter binding), the sink by " +
      "PostgreSQL's COPY, so their ratio moves with what else loads the machine: work that slows PostgreSQL lowers it.",
    'rest_api ≥ 0.8× bare undici client':
      'Every path is bound by CPU: the 2 cores are shared by the sending thread and the loopback server, which ' +
      'parses every body. The gap has two parts: got, the HTTP client the sink is built on (bare got, ' +
      `\`rest_bare_got\`, ran at ${x(ratios.rest_bare_got_vs_bare_client)} bare undici in this run), and what the ` +
      `sink adds over bare got (${x(ratios.rest_vs_bare_got)}). A CPU profile of the sink shows ~40 % JSON encoding ` +
      'from Arrow (shared by every path), ~11 % garbage collection, ~6 % in got itself (option merging, its Duplex ' +
      "request) and ~4.5 % SHA-256 (the batch digest behind the `Idempotency-Key` and the receipt's checksum, both " +
      'required). Between runs the ratio moves by ±0.05 with what else the host runs. Encoding on a worker ' +
      `thread (\`rest_api_encode_thread\`: ${x(ratios.rest_encode_thread_vs_bare_client)} bare undici) does not ` +
      'help on 2 cores: the thread takes CPU from the sending thread and the server, and each batch is copied to it as ' +
      'Arrow IPC; it measured faster only while the machine was loaded by other work. It is the default on machines ' +
      'with more than 2 cores, where an API on another host leaves the cores to the client.',
    'Iceberg read ≥ 1M rows/s':
      'Reading is parquet-wasm decoding Parquet pages into Arrow on the main thread, file after file; it has the ' +
      'machine to itself here only when nothing else runs (see `packages/floe-lakehouse/bench/read.mjs`).',
    'RSS at 10× rows ≤ 1.2× RSS at 1×':
      'Nothing held grows with the rows (record ids in the receipt are capped, see `maxRecordIdsInReceipt`); the ' +
      'peak moves by ±25 MB between identical runs with when V8 collects garbage buffers.',
    'RSS of the largest run ≤ 300 MB':
      `Peak RSS (${rss.growth === null ? '' : `${x(rss.growth)} from 1× to 10× rows; `}flat in the rows) is ~105 MB ` +
      'of Node with its modules (arrow, knex, pg, got, zod), ~50 MB of JS heap and ~130–150 MB of ArrayBuffers: ' +
      'the 2 batches being written and the next one screened, their 50,000-row COPY payloads (kept until the ' +
      "receipt's checksum has hashed them in batch order) and buffers V8 has not collected yet. Sampled on their own, " +
      'the same runs peak at 264 MB (1M rows) and 292 MB (10M) with `max_concurrency: 2`, 239–252 MB with 1; ' +
      'smaller batches lower it.',
  };
  const missed = result.targets.filter((t) => t.met === false);
  if (missed.length === 0) return [];
  return [
    '## What limits the missed targets',
    '',
    ...missed.flatMap((t) => [`**${t.name}** (${t.value}). ${notes[t.name] ?? 'Not analysed yet.'}`, '']),
  ];
}

/**
 * What limits a missed sync target, from the profiles and timings of the sync runs (`FLOE_BENCH_NODE_ARGS=--cpu-prof`,
 * `--trace console` on the CLI, `pg_stat_user_tables`), measured on this 2-core machine while it ran other work.
 */
const FIXED_COST =
  'A run of the CLI has a fixed cost that does not depend on the table: Node and the modules loading, the spec, ' +
  'the table metadata, the lease, the ledger and the sync state settling; with the machine loaded (load average ' +
  '8–10 on 2 cores) `floe --version` alone took 2.3 s wall and a run of a snapshot already synced 5.9 s wall for 1.3 s ' +
  'of CPU. The full push and the full-scan diff grow with the rows, the fast path with the changed rows only, so the ' +
  "ratio grows with the table: at 1M rows the fixed cost is most of the fast path's time; the issue's case is 10M rows.";
const SYNC_LIMITS = {
  'sync fast path ≥ 20× faster than a full push, to the API': FIXED_COST,
  'sync fast path ≥ 5× faster than a full-scan diff, to the API': FIXED_COST,
  'sync fast path ≥ 5× faster than a full-scan diff, to PostgreSQL': FIXED_COST,
  'sync fast path reads ≤ 10 % of the table (%)':
    'The fast path reads the changed data files whole (after), the key column of what they held (before), the new ' +
    'delete files and the metadata (manifest lists, manifests); on a small table the metadata is a large share.',
  'sync peak RSS ≤ 400 MB (any path)':
    "The change stream's spool held every batch in memory until the end of the diff (its writer's queue grew while it " +
    "waited only for the file's `drain`): fixed, it now holds at most 16 MB (`MAX_UNWRITTEN_BYTES`). What still grows " +
    "with the rows is the diff's set of keys seen (a 64-bit hash and flags per key, 9–18 bytes a key). The full-scan " +
    'runs to the API (411–427 MB, after the fix) are not analysed yet: a diff of 1M rows alone, outside the CLI, ' +
    'peaked at 328 MB after the fix (408 MB before); a PostgreSQL full push of the same 1M-row table after the fix ' +
    'peaked at 503 MB (621 MB before): its 50,000-row batches carry the bookkeeping columns and 2 are written at once.',
  'sync state ≤ 64 B/record on disk, PostgreSQL (after the first run)':
    "PostgreSQL's per-row floor is most of it: a 24-byte tuple header and a 4-byte line pointer in the heap, an index " +
    'entry of (scope_id, k) of ~20 bytes with its own pointer, before the key text and the 8-byte fingerprint; the ' +
    'pages are not full (fill factor of the primary key index 90 %). A later run that rewrites many records (a full ' +
    'resync) leaves dead row versions until autovacuum takes them (the larger figures of the later rows). The SQLite ' +
    'state store keeps the same record in a `WITHOUT ROWID` table: ~24 bytes.',
};

/** A horizontal bar per ratio, with its target marked. */
function chart(targets) {
  const width = 720,
    row = 34,
    left = 300,
    scale = (width - left - 40) / Math.max(2, ...targets.map((t) => Math.max(t.value, t.target)));
  const bars = targets.map((t, i) => {
    const y = 20 + i * row;
    const colour = t.met ? '#2e7d32' : '#c62828';
    return [
      `<text x="${left - 10}" y="${y + 15}" text-anchor="end" font-size="12">${escape(t.name)}</text>`,
      `<rect x="${left}" y="${y}" width="${(t.value * scale).toFixed(1)}" height="20" fill="${colour}"/>`,
      `<line x1="${left + t.target * scale}" x2="${left + t.target * scale}" y1="${y - 3}" y2="${y + 23}" stroke="#000" stroke-dasharray="3,2"/>`,
      `<text x="${left + t.value * scale + 6}" y="${y + 15}" font-size="12">${t.value}</text>`,
    ].join('');
  });
  const height = 40 + targets.length * row;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif"><rect width="100%" height="100%" fill="#fff"/>${bars.join('')}<text x="${left}" y="${height - 6}" font-size="11">bars: measured ratio · dashed line: target</text></svg>\n`;
}

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
