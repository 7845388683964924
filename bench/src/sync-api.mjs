// The sync benchmark's loopback API (a child process, so it shares no event loop with the CLI): an upsert
// endpoint keeping, per record id, a 32-bit hash of the record as received — so the bench can check the API holds
// exactly a version of the table (count + checksum) without keeping 10M records — and counting records per run.
//   fork('sync-api.mjs', ['--rows', N]) → message {port}; messages 'stats' → {records, checksum, received}, 'reset-run'
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** FNV-1a of a string's UTF-16 code units (the records are ASCII). */
export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Sum of 32-bit hashes modulo 2^52 (exact in a double). */
export const addHash = (sum, h) => (sum + h) % 2 ** 52;

/** The canonical text of a record as parsed from a body (keys as sent). */
export const recordText = (record) => JSON.stringify(record);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rows: { type: 'string' } } });
  const capacity = Number(values.rows) + 2;
  const hashes = new Uint32Array(capacity);
  const present = new Uint8Array(capacity);
  let records = 0;
  let received = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const record of body) {
        const id = Number(record.id);
        if (!Number.isSafeInteger(id) || id < 0 || id >= capacity) {
          res.writeHead(400).end();
          return;
        }
        if (present[id] === 0) records++;
        present[id] = 1;
        hashes[id] = fnv1a(recordText(record));
      }
      received += body.length;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
      res.end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  process.on('message', (message) => {
    if (message === 'stats') {
      let checksum = 0;
      for (let id = 0; id < capacity; id++) if (present[id] === 1) checksum = addHash(checksum, hashes[id]);
      process.send({ records, checksum, received });
    }
    if (message === 'reset-run') received = 0;
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}
