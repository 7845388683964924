#!/usr/bin/env node
// Read benchmark for @floe/lakehouse (uses the built dist: run `pnpm build` first).
//
//   node bench/read.mjs [--rows 1200000] [--files 4] [--batch-size 65536] [--dir /tmp/x] [--keep]
//
// Writes a realistic Gold-style Iceberg table (6 columns) in a child process — so the generator's
// memory does not count — then opens and streams it with `table.batches()` and prints JSON on
// stdout: rows read, rows/s (openTable + full scan, after the one-time parquet-wasm init), peak RSS
// and RSS growth of the reading process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const FIELDS = [
  { id: 1, name: 'id', required: true, type: 'long' },
  { id: 2, name: 'customer', required: false, type: 'string' },
  { id: 3, name: 'amount', required: false, type: 'double' },
  { id: 4, name: 'status', required: false, type: 'string' },
  { id: 5, name: 'created_at', required: false, type: 'timestamptz' },
  { id: 6, name: 'active', required: false, type: 'boolean' },
];
const STATUSES = ['new', 'active', 'churned', 'vip'];

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function generate(dir, rows, files) {
  const arrow = await import('apache-arrow');
  const { IcebergTableWriter } = await import('../dist/testing/index.js');
  const writer = await IcebergTableWriter.create({ location: dir, fields: FIELDS });
  const perFile = Math.ceil(rows / files);
  function* batches(start, count) {
    for (let off = 0; off < count; off += 50_000) {
      const n = Math.min(50_000, count - off);
      const ids = new BigInt64Array(n);
      const amounts = new Float64Array(n);
      const ts = new BigInt64Array(n);
      const customers = new Array(n);
      const statuses = new Array(n);
      const active = new Array(n);
      for (let i = 0; i < n; i++) {
        const id = start + off + i;
        ids[i] = BigInt(id);
        amounts[i] = (id % 100_000) / 100;
        ts[i] = 1_700_000_000_000_000n + BigInt(id) * 1_000_000n;
        customers[i] = `customer-${id % 250_000}`;
        statuses[i] = STATUSES[id % 4];
        active[i] = id % 3 !== 0;
      }
      yield new arrow.Table({
        id: arrow.makeVector(ids),
        customer: arrow.vectorFromArray(customers, new arrow.Utf8()),
        amount: arrow.makeVector(amounts),
        status: arrow.vectorFromArray(statuses, new arrow.Utf8()),
        created_at: arrow.makeVector(
          arrow.makeData({ type: new arrow.TimestampMicrosecond('UTC'), length: n, data: ts }),
        ),
        active: arrow.vectorFromArray(active, new arrow.Bool()),
      }).batches[0];
    }
  }
  const dataFiles = [];
  for (let f = 0; f < files; f++) {
    const start = f * perFile;
    const count = Math.min(perFile, rows - start);
    if (count > 0) dataFiles.push({ batches: batches(start, count), rowGroupSize: 100_000 });
  }
  await writer.commit({ dataFiles });
}

async function read(dir, batchSize) {
  const { openTable } = await import('../dist/index.js');
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  // parquet-wasm compiles a ~5 MB WebAssembly module on first use: a one-time cost per process
  const initStart = performance.now();
  await import('parquet-wasm');
  const wasmInitSeconds = (performance.now() - initStart) / 1000;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const table = await openTable({ location: dir });
  let rows = 0;
  let checksum = 0n;
  for await (const batch of table.batches({ batchSize })) {
    rows += batch.numRows;
    const ids = batch.getChild('id').data[0].values;
    checksum += ids[0] ?? 0n;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { rows, seconds, cpuSeconds, wasmInitSeconds, baseline, peak, checksum };
}

if (process.argv[2] === '--generate-child') {
  await generate(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
} else {
  const rows = Number(arg('rows', '1200000'));
  const files = Number(arg('files', '4'));
  const batchSize = Number(arg('batch-size', '65536'));
  const dir = arg('dir', undefined) ?? mkdtempSync(join(tmpdir(), 'floe-bench-'));
  const genStart = performance.now();
  const child = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--generate-child', dir, String(rows), String(files)],
    { stdio: 'inherit' },
  );
  if (child.status !== 0) process.exit(child.status ?? 1);
  const generateSeconds = (performance.now() - genStart) / 1000;
  const result = await read(dir, batchSize);
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  console.log(
    JSON.stringify(
      {
        rows: result.rows,
        columns: FIELDS.length,
        files,
        batchSize,
        seconds: Math.round(result.seconds * 1000) / 1000,
        wasmInitSeconds: Math.round(result.wasmInitSeconds * 1000) / 1000,
        rowsPerSecond: Math.round(result.rows / result.seconds),
        // CPU time of the reading process: less sensitive than wall time to other load on the machine
        cpuSeconds: Math.round(result.cpuSeconds * 1000) / 1000,
        rowsPerCpuSecond: Math.round(result.rows / result.cpuSeconds),
        peakRssMB: mb(result.peak),
        rssGrowthMB: mb(result.peak - result.baseline),
        generateSeconds: Math.round(generateSeconds * 10) / 10,
        node: process.version,
      },
      null,
      2,
    ),
  );
}
