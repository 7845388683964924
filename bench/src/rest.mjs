// REST: the rest_api sink against a bare keep-alive undici Pool posting the same batches, serialised by the
// same encoder on both sides, to the same loopback server (in a child process, so it does not share the
// client's event loop). The ratio measures what the sink adds: got, the engine, retries, rate limits, spans.
// rest_api_encode_thread shows what encoding on a worker thread (`encode_threads: 1`) does here.
import { fork } from 'node:child_process';
import { Agent, createServer } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { deliver, seconds } from './util.mjs';

const ROWS_PER_BODY = 1000;
const CONCURRENCY = 4;

if (process.argv[2] === 'server') {
  let rows = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      // Count records: the server checks what arrived, so a path that sends nothing cannot look fast.
      rows += JSON.parse(Buffer.concat(chunks).toString('utf8')).length;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
      res.end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  process.on('message', (message) => {
    if (message === 'count') process.send({ rows });
    if (message === 'reset') rows = 0;
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}

function* slices(table, size) {
  for (const batch of table.batches) {
    for (let start = 0; start < batch.numRows; start += size)
      yield batch.slice(start, Math.min(start + size, batch.numRows));
  }
}

async function bare(url, table, encodeJsonBody) {
  const pool = new Pool(url, { connections: CONCURRENCY, pipelining: 1 });
  const iterator = slices(table, ROWS_PER_BODY);
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const body = encodeJsonBody(next.value);
      const { statusCode, body: response } = await pool.request({
        path: '/',
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      await response.text();
      if (statusCode !== 200) throw new Error(`HTTP ${statusCode}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    await pool.close();
  }
}

/**
 * The same loop with got — the plugin's own copy, configured as the sink configures it (keep-alive agent, no
 * retries, no redirects, HTTP errors returned) — to show what got costs before the sink adds anything.
 */
async function bareGot(url, table, encodeJsonBody) {
  const fromPlugin = createRequire(fileURLToPath(import.meta.resolve('@floe/ingestion-dlt')));
  const { default: got } = await import(pathToFileURL(fromPlugin.resolve('got')).href);
  const agent = new Agent({ keepAlive: true });
  const client = got.extend({
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    agent: { http: agent },
  });
  const iterator = slices(table, ROWS_PER_BODY);
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const body = encodeJsonBody(next.value);
      const response = await client(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    agent.destroy();
  }
}

/** Starts the loopback server and returns the REST paths. */
export async function restPaths({ rows, data, api }) {
  const child = fork(fileURLToPath(import.meta.url), ['server']);
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  const url = `http://127.0.0.1:${port}`;
  const received = async () => {
    const answer = new Promise((resolve) => child.once('message', resolve));
    child.send('count');
    return (await answer).rows;
  };
  const check = (name) => async () => {
    const n = await received();
    if (n !== rows) throw new Error(`${name}: the server received ${n} records, expected ${rows}`);
  };
  const sinkPath = (name, config) => ({
    setup: () => child.send('reset'),
    run: () =>
      seconds(() =>
        deliver(
          api,
          {
            sinkType: 'rest_api',
            name: 'bench',
            batchSize: ROWS_PER_BODY,
            connectionConfig: { url, max_concurrency: CONCURRENCY, ...config },
          },
          data,
          rows,
        ),
      ),
    check: check(name),
  });
  return {
    rest_bare_undici: {
      setup: () => child.send('reset'),
      run: () => seconds(() => bare(url, data, api.encodeJsonBody)),
      check: check('rest_bare_undici'),
    },
    rest_bare_got: {
      setup: () => child.send('reset'),
      run: () => seconds(() => bareGot(url, data, api.encodeJsonBody)),
      check: check('rest_bare_got'),
    },
    // The sink as configured by default: on this 2-core machine it encodes on the sending thread.
    rest_api: sinkPath('rest_api', {}),
    // The same sink with one encoding thread (the default on machines with more than 2 cores).
    rest_api_encode_thread: sinkPath('rest_api_encode_thread', { encode_threads: 1 }),
    cleanup: () => child.kill(),
  };
}
