import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { captureSpans, startHttpTarget, type HttpTarget, type MemorySpans } from '@floe/test-harness';
import { availableParallelism } from 'node:os';
import { SinkConfig } from '@floe/core';
import { Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
// The built plugin, as users run it: its encoding worker is JavaScript next to the built module (`pnpm build`
// precedes `pnpm test`). Run from the TypeScript sources, the sink encodes every batch on the calling thread.
import { createRestApiDestination, encodeJsonRows, loadToDestination } from '../../../dist/index.js';
import { tableOf } from '../../helpers/arrow.js';
import { goldCustomers } from '../../helpers/fixtures.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * How long the first answer is held so that a worker has loaded before the batches after it are prepared
 * (a worker loads in ~0.1 s on a quiet machine and took up to 1.4 s here under heavy load).
 */
const WORKER_LOAD_MS = 6_000;

/** The `sink.batch` spans' `sink.batch.encoded_on`, in batch order. */
function encodedOn(spans: MemorySpans): string[] {
  return spans
    .named('sink.batch')
    .sort((a, b) => Number(a.attributes['sink.batch.index']) - Number(b.attributes['sink.batch.index']))
    .map((span) => String(span.attributes['sink.batch.encoded_on']));
}

describe('rest_api with encoding threads (built plugin)', () => {
  let spans: MemorySpans;
  let target: HttpTarget;
  beforeAll(() => {
    spans = captureSpans();
  });
  afterAll(async () => {
    await spans.shutdown();
  });
  beforeEach(async () => {
    spans.reset();
    target = await startHttpTarget();
  });
  afterEach(async () => {
    await target.close();
  });

  it('sends, byte for byte, the bodies the calling thread would encode, once a worker has loaded', async () => {
    // 200 copies of the gold rows (every type the encoder knows), 12 batches of 100.
    const gold = goldCustomers();
    const table = new Table(Array.from({ length: 200 }, () => gold.batches[0]!));
    const destination = createRestApiDestination(
      new SinkConfig({
        sinkType: 'rest_api',
        name: 'crm',
        batchSize: 100,
        connectionConfig: { url: target.url, encode_threads: 2, int64: 'string' },
      }),
    );
    // The first answer waits long enough for a worker to load, so the batches after it go to one.
    target.handle(async (_request, index) => {
      if (index === 0) await sleep(WORKER_LOAD_MS);
      return { status: 200, body: {} };
    });
    const receipt = await loadToDestination(destination, table);
    await destination.hooks.close?.();
    expect(receipt.success).toBe(true);
    expect(receipt.rowsDelivered).toBe(1200);

    // What the calling thread encodes: every row's object, in order, 100 to a body.
    const objects = table.batches.flatMap((batch) => encodeJsonRows(batch, { int64: 'string' }));
    const expected = Array.from({ length: 12 }, (_, k) => `[${objects.slice(k * 100, k * 100 + 100).join(',')}]`);
    expect(target.requests.map((request) => request.rawBody.toString())).toEqual(expected);

    const where = encodedOn(spans);
    expect(where).toHaveLength(12);
    const firstOnWorker = where.indexOf('worker');
    expect(firstOnWorker).toBeGreaterThan(0); // batch 0 never waits for a worker to start
    expect(where.slice(firstOnWorker).every((place) => place === 'worker')).toBe(true);
  }, 30_000);

  it('cuts the parts of a refused batch from the body a worker encoded', async () => {
    const BAD = 237; // in batch 2: batches 0 and 1 are read (and encoded) before a worker can have loaded
    const ids = Array.from({ length: 400 }, (_, i) => i);
    const table = tableOf({
      id: vectorFromArray(ids, new Int32()),
      email: vectorFromArray(
        ids.map((i) => (i === BAD ? 'not-an-email' : `u${i}@x.io`)),
        new Utf8(),
      ),
    });
    const refused = (body: unknown): boolean =>
      (body as { email: string }[]).some((record) => !record.email.includes('@'));
    target.handle(async (request, index) => {
      if (index === 0) await sleep(WORKER_LOAD_MS);
      return refused(request.body) ? { status: 422, body: { error: 'bad email' } } : { status: 200, body: {} };
    });
    const destination = createRestApiDestination(
      new SinkConfig({
        sinkType: 'rest_api',
        name: 'crm',
        batchSize: 100,
        connectionConfig: { url: target.url, encode_threads: 1 },
      }),
    );
    const receipt = await loadToDestination(destination, table);
    await destination.hooks.close?.();
    expect(encodedOn(spans).slice(2)).toEqual(['worker', 'worker']);
    expect(receipt.rowsDelivered).toBe(399);
    expect(receipt.errors.map((error) => [error.row, error.httpStatus])).toEqual([[BAD, 422]]);
    // Every row but the refused one arrived in an accepted request, exactly once.
    const acceptedIds = target.requests
      .filter((request) => !refused(request.body))
      .flatMap((request) => (request.body as { id: number }[]).map((record) => record.id))
      .sort((a, b) => a - b);
    expect(acceptedIds).toEqual(ids.filter((id) => id !== BAD));
  }, 30_000);

  it('encodes on the calling thread with encode_threads: 0, and refuses a negative count', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => i);
    const table = tableOf({ id: vectorFromArray(ids, new Int32()) });
    target.handle(async (_request, index) => {
      if (index === 0) await sleep(500);
      return { status: 200, body: {} };
    });
    const config = (threads: number): SinkConfig =>
      new SinkConfig({
        sinkType: 'rest_api',
        name: 'crm',
        batchSize: 100,
        connectionConfig: { url: target.url, encode_threads: threads },
      });
    const destination = createRestApiDestination(config(0));
    const receipt = await loadToDestination(destination, table);
    await destination.hooks.close?.();
    expect(receipt.rowsDelivered).toBe(300);
    expect(encodedOn(spans)).toEqual(['caller', 'caller', 'caller']);
    expect(() => createRestApiDestination(config(-1))).toThrow(/encode_threads/);
  });

  it('uses an encoding thread by default only where the machine has more than 2 cores', async () => {
    const threaded = availableParallelism() > 2;
    const table = tableOf({
      id: vectorFromArray(
        Array.from({ length: 400 }, (_, i) => i),
        new Int32(),
      ),
    });
    target.handle(async (_request, index) => {
      if (index === 0 && threaded) await sleep(WORKER_LOAD_MS);
      return { status: 200, body: {} };
    });
    const destination = createRestApiDestination(
      new SinkConfig({ sinkType: 'rest_api', name: 'crm', batchSize: 100, connectionConfig: { url: target.url } }),
    );
    const receipt = await loadToDestination(destination, table);
    await destination.hooks.close?.();
    expect(receipt.rowsDelivered).toBe(400);
    expect(encodedOn(spans)).toEqual(threaded ? ['caller', 'caller', 'worker', 'worker'] : Array(4).fill('caller'));
  });
});
