import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Int32, Utf8, vectorFromArray } from 'apache-arrow';
import { JsonEncodeThreads } from '../../../src/engine/encoding/json-encode-threads.js';
import { encodeJsonRowsBody } from '../../../src/engine/encoding/json-rows-body.js';
import { tableOf } from '../../helpers/arrow.js';
import { goldCustomers } from '../../helpers/fixtures.js';

// The worker runs as plain JavaScript: these tests run the TypeScript class with the built worker (`pnpm build`
// precedes `pnpm test`), which is the module the class starts when the plugin runs from `dist/`.
const BUILT = new URL('../../../dist/engine/encoding/', import.meta.url);
const WORKER = new URL('json-encode-worker.js', BUILT);

describe('JsonEncodeThreads', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'floe-threads-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('gives, byte for byte, the body encoded on the calling thread', async () => {
    const gold = goldCustomers().batches[0]!;
    const framings = [{}, { open: '{"data":[', close: ']}' }];
    for (const framing of framings) {
      const threads = new JsonEncodeThreads(2, { int64: 'string' }, framing, WORKER);
      try {
        // Whole batches and slices (their buffers start mid-way: only the sliced rows may travel and come back).
        for (const batch of [gold, gold.slice(1, 5), gold.slice(5, 6)]) {
          const local = encodeJsonRowsBody(batch, { int64: 'string' }, framing);
          const remote = await threads.encode(batch);
          expect(remote.body.toString()).toBe(local.body.toString());
          expect([...remote.ends]).toEqual([...local.ends]);
          expect(remote.openBytes).toBe(local.openBytes);
        }
      } finally {
        await threads.close();
      }
    }
  });

  it('answers each of many concurrent batches with its own body', async () => {
    const ids = Array.from({ length: 4000 }, (_, i) => i);
    const table = tableOf({
      id: vectorFromArray(ids, new Int32()),
      name: vectorFromArray(
        ids.map((i) => `n${i}-ü`),
        new Utf8(),
      ),
    });
    const batch = table.batches[0]!;
    const slices = Array.from({ length: 40 }, (_, k) => batch.slice(k * 100, k * 100 + 100));
    const threads = new JsonEncodeThreads(3, {}, {}, WORKER);
    try {
      threads.start();
      expect(threads.ready).toBe(false); // a worker posts that it has loaded: not before this turn ends
      const bodies = await Promise.all(slices.map((slice) => threads.encode(slice)));
      bodies.forEach((encoded, k) => {
        const rows = JSON.parse(encoded.body.toString()) as { id: number; name: string }[];
        expect(rows.map((row) => row.id)).toEqual(ids.slice(k * 100, k * 100 + 100));
      });
      expect(threads.ready).toBe(true);
    } finally {
      await threads.close();
    }
  });

  it('rejects what is pending when closed, and every encoding after', async () => {
    const batch = goldCustomers().batches[0]!;
    const threads = new JsonEncodeThreads(1, {}, {}, WORKER);
    await threads.encode(batch);
    const pending = threads.encode(batch).catch((error: unknown) => error);
    await threads.close();
    expect(await pending).toEqual(new Error('JSON encoding threads were closed'));
    await expect(threads.encode(batch)).rejects.toThrow('closed');
    await threads.close();
  });

  it('rejects pending and later encodings once a worker fails, so the caller encodes itself', async () => {
    const crashing = join(scratch, 'crashing-worker.mjs');
    writeFileSync(
      crashing,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { throw new Error('worker broke'); });\n",
    );
    const threads = new JsonEncodeThreads(1, {}, {}, pathToFileURL(crashing));
    try {
      const batch = goldCustomers().batches[0]!;
      await expect(threads.encode(batch)).rejects.toThrow('worker broke');
      await expect(threads.encode(batch)).rejects.toThrow('worker broke');
    } finally {
      await threads.close();
    }
  });

  it('refuses to encode when there is no worker module', async () => {
    const threads = new JsonEncodeThreads(1, {}, {}, pathToFileURL(join(scratch, 'missing.js')));
    await expect(threads.encode(goldCustomers().batches[0]!)).rejects.toThrow('no JSON encoding worker');
    await threads.close();
    expect(() => new JsonEncodeThreads(0)).toThrow(RangeError);
  });

  // Run as `node --input-type=module -e …`: that flag, inherited by a worker, would stop it from starting.
  it('does not hold the process open once its work is answered, even if never closed', () => {
    const script = [
      `import { JsonEncodeThreads } from ${JSON.stringify(new URL('json-encode-threads.js', BUILT).href)};`,
      `import { tableFromArrays } from 'apache-arrow';`,
      `const batch = tableFromArrays({ id: Int32Array.from([1, 2, 3]) }).batches[0];`,
      `const threads = new JsonEncodeThreads(2);`,
      `const { body } = await threads.encode(batch);`,
      `console.log(JSON.stringify({ available: JsonEncodeThreads.available, body: body.toString() }));`,
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('../../..', import.meta.url),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({
      status: 0,
      signal: null,
      stderr: '',
    });
    expect(JSON.parse(run.stdout)).toEqual({ available: true, body: '[{"id":1},{"id":2},{"id":3}]' });
  });
});
