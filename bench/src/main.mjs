// pnpm bench: every load path and the reader, on the same generated data and the same databases, in one run.
// Medians of --runs runs (interleaved, so a busy moment of the machine hits every path alike), the ratios the
// issue sets targets for, and docs/benchmarks.md. Not part of `pnpm test`.
//
//   pnpm bench [--rows 1000000] [--runs 3] [--json] [--only pg,rest,other,iceberg,rss,sync] [--rss-rows 1000000,10000000]
//              [--sync-rows 10000000] [--sync-files 40]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Table } from 'apache-arrow';
import { SinkConfig } from '@floe/core';
import { DltIngestionPlugin, encodeJsonBody } from '@floe/ingestion-dlt';
import { benchBatches } from './data.mjs';
import { postgresPaths } from './pg.mjs';
import { restPaths } from './rest.mjs';
import { otherSqlPaths } from './other-sql.mjs';
import { icebergPaths } from './iceberg.mjs';
import { measureRss } from './rss.mjs';
import { measureSync } from './sync.mjs';
import { evaluate, writeReport } from './report.mjs';
import { median } from './util.mjs';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    only: { type: 'string', default: 'pg,rest,other,iceberg,rss,sync' },
    'rss-rows': { type: 'string' },
    'sync-rows': { type: 'string', default: '10000000' },
    'sync-files': { type: 'string', default: '40' },
    'no-docs': { type: 'boolean', default: false },
  },
});
const rows = Number(args.rows);
const runs = Number(args.runs);
const groups = new Set(args.only.split(','));
const rssRows = (args['rss-rows'] ?? `${rows},${rows * 10}`).split(',').map(Number);
const log = (...parts) => console.error('[bench]', ...parts);

const api = { SinkConfig, DltIngestionPlugin, encodeJsonBody };
const dir = mkdtempSync(join(tmpdir(), 'floe-bench-'));

const makers = { pg: postgresPaths, rest: restPaths, other: otherSqlPaths, iceberg: icebergPaths };
const loads = Object.keys(makers).some((group) => groups.has(group));
if (loads) log(`generating ${rows.toLocaleString('en-US')} rows × 8 columns`);
const data = loads ? new Table([...benchBatches(rows)]) : undefined;
const suites = [];
for (const [group, make] of Object.entries(makers))
  if (groups.has(group)) suites.push(await make({ rows, dir, data, api }));

const samples = {};
const extras = {};
let sync;
try {
  for (let run = 1; run <= runs; run++) {
    for (const suite of suites) {
      for (const [name, path] of Object.entries(suite)) {
        if (name === 'cleanup') continue;
        await path.setup();
        const secondsTaken = await path.run();
        await path.check();
        // A path may load fewer rows than `--rows` (`path.rows`).
        const loaded = path.rows ?? rows;
        (samples[name] ??= []).push(loaded / secondsTaken);
        Object.assign(extras, path.extra?.());
        log(`run ${run}/${runs} ${name}: ${Math.round(loaded / secondsTaken).toLocaleString('en-US')} rows/s`);
      }
    }
  }
  if (groups.has('sync'))
    sync = await measureSync({ rows: Number(args['sync-rows']), files: Number(args['sync-files']), dir, api, log });
} finally {
  for (const suite of suites) await suite.cleanup();
  rmSync(dir, { recursive: true, force: true });
}

const rss = {};
if (groups.has('rss')) {
  for (const n of rssRows) {
    log(`peak RSS of a streaming egress of ${n.toLocaleString('en-US')} rows`);
    rss[n] = await measureRss(n);
    log(`  ${rss[n].rssMb} MB`);
  }
}

const rowsPerS = Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, Math.round(median(list))]));
const result = evaluate({ rows, runs, rowsPerS, samples, rss, extras, sync, groups });
if (!args['no-docs']) writeReport(result);
if (args.json) console.log(JSON.stringify(result, null, 2));
else console.log(result.text);
