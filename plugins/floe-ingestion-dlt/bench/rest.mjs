// REST sink throughput vs a bare undici keep-alive Pool posting the same JSON batches.
// Usage: pnpm build && node bench/rest.mjs [rows=200000] [rowsPerBody=1000,100] [concurrency=4] [repeats=5]
// Prints JSON (medians of interleaved runs: rows/s, wall and client CPU seconds, ratio rest/bare).
// The loopback server runs in a child process so it does not share the client's event loop.
// Profiling one side only: REST_ONLY=1 (sink) or REST_ONLY=bare, ROWS_PER_BODY=100.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { SinkConfig } from '@floe/core';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { createRestApiDestination, encodeJsonBody, loadToDestination } from '../dist/index.js';
import { goldTable } from './gold-table.mjs';

if (process.argv[2] === 'server') {
  const server = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
      res.end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
} else {
  await main();
}

function* slices(table, size) {
  for (const batch of table.batches) for (let start = 0; start < batch.numRows; start += size) yield batch.slice(start, Math.min(start + size, batch.numRows));
}

async function bare(url, table, size, concurrency) {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const iterator = slices(table, size);
  let bytes = 0;
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const body = encodeJsonBody(next.value); // the same serialiser as the sink: the ratio measures client overhead
      bytes += body.length;
      const { statusCode, body: response } = await pool.request({ path: '/', method: 'POST', body, headers: { 'content-type': 'application/json' } });
      await response.text();
      if (statusCode !== 200) throw new Error(`HTTP ${statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await pool.close();
  return { rowsPerSecond: Math.round(table.numRows / seconds), seconds: +seconds.toFixed(3), cpuSeconds: +((used.user + used.system) / 1e6).toFixed(3), bytes };
}

async function rest(url, table, size, concurrency) {
  const destination = createRestApiDestination(
    new SinkConfig({ sinkType: 'rest_api', name: 'bench', batchSize: size, connectionConfig: { url, max_concurrency: concurrency } }),
  );
  const cpu = process.cpuUsage();
  const started = performance.now();
  const receipt = await loadToDestination(destination, table);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await destination.hooks.close();
  if (!receipt.success || receipt.rowsDelivered !== table.numRows) throw new Error(`rest failed: ${JSON.stringify(receipt)}`);
  return { rowsPerSecond: Math.round(table.numRows / seconds), seconds: +seconds.toFixed(3), cpuSeconds: +((used.user + used.system) / 1e6).toFixed(3), bytes: receipt.bytesTransmitted };
}

async function profileRest() {
  const child = fork(fileURLToPath(import.meta.url), ['server']);
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  const table = goldTable(200_000);
  const run = process.env.REST_ONLY === 'bare' ? bare : rest;
  for (let k = 0; k < 3; k += 1) console.error(await run(`http://127.0.0.1:${port}`, table, Number(process.env.ROWS_PER_BODY ?? 1000), 4));
  child.kill();
}

async function main() {
  if (process.env.REST_ONLY) return profileRest();
  const rows = Number(process.argv[2] ?? 200_000);
  const sizes = (process.argv[3] ?? '1000,100').split(',').map(Number);
  const concurrency = Number(process.argv[4] ?? 4);
  const repeats = Number(process.argv[5] ?? 5);
  const child = fork(fileURLToPath(import.meta.url), ['server']);
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  const url = `http://127.0.0.1:${port}`;
  const table = goldTable(rows);
  const results = [];
  for (const size of sizes) {
    // warm-up, then alternate runs and keep the best of each
    await bare(url, goldTable(20_000), size, concurrency);
    await rest(url, goldTable(20_000), size, concurrency);
    const runs = { bare: [], rest: [] };
    for (let k = 0; k < repeats; k += 1) {
      runs.bare.push(await bare(url, table, size, concurrency));
      runs.rest.push(await rest(url, table, size, concurrency));
    }
    // Medians of interleaved runs: the machine is shared, single runs are noisy.
    const median = (list) => [...list].sort((a, b) => a.rowsPerSecond - b.rowsPerSecond)[Math.floor(list.length / 2)];
    const b = median(runs.bare);
    const r = median(runs.rest);
    results.push({ rowsPerBody: size, concurrency, repeats, bareUndici: b, restSink: r, ratio: +(r.rowsPerSecond / b.rowsPerSecond).toFixed(3) });
  }
  child.kill();
  console.log(JSON.stringify({ rows, columns: 8, node: process.version, results }, null, 2));
}
