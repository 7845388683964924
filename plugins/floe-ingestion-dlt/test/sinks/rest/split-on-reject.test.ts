import { afterEach, beforeAll, afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { captureSpans, startHttpTarget, type HttpTarget, type MemorySpans } from '@floe/test-harness';
import { Int32, Utf8, vectorFromArray } from 'apache-arrow';
import { loadToDestination } from '../../../src/engine/destination/load.js';
import type { Destination } from '../../../src/engine/destination/destination.js';
import { isSinkConfigurationError, SinkWriteError } from '../../../src/errors/index.js';
import { deliverSplitting, rangeKey } from '../../../src/sinks/rest/split-on-reject.js';
import { tableOf } from '../../helpers/arrow.js';
import { restDestination } from '../../helpers/rest.js';
import { sha256Of } from '../../helpers/sha.js';

interface Contact {
  id: number;
  email: string;
}

/** `n` contacts; the ids in `bad` have the e-mail "bad". */
function contacts(n: number, bad: readonly number[] = []) {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  return tableOf({
    id: vectorFromArray(ids, new Int32()),
    email: vectorFromArray(
      ids.map((id) => (bad.includes(id) ? 'bad' : `c${id}@x.io`)),
      new Utf8(),
    ),
  });
}

/** A batch API that refuses (422) any request holding a contact whose e-mail is "bad". */
function refuseBad(request: { body: unknown }) {
  const body = request.body as Contact[] | { items: Contact[] };
  const records = Array.isArray(body) ? body : body.items;
  const bad = records.find((record) => record.email === 'bad');
  if (bad !== undefined) return { status: 422, body: { message: `invalid email for contact ${bad.id}` } };
  return { status: 200, body: { items: records.map((record) => ({ id: `crm-${record.id}` })) } };
}

const idsOf = (request: { body: unknown }): number[] => {
  const body = request.body as Contact[] | { items: Contact[] };
  return (Array.isArray(body) ? body : body.items).map((record) => record.id);
};

describe('rest_api split_on_reject', () => {
  let target: HttpTarget;
  let spans: MemorySpans;
  const opened: Destination[] = [];
  const open = (destination: Destination): Destination => {
    opened.push(destination);
    return destination;
  };

  beforeAll(() => {
    spans = captureSpans();
  });
  afterAll(async () => {
    await spans.shutdown();
  });
  beforeEach(async () => {
    spans.reset();
    target = await startHttpTarget(refuseBad);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.hooks.close?.()));
    await target.close();
  });

  it('bisects a batch the API refuses with 422 until the bad rows are single, and delivers every other row once', async () => {
    const dest = open(restDestination({ url: target.url, record_id_path: 'id' }, { batchSize: 8 }));
    const receipt = await loadToDestination(dest, contacts(10, [3, 6, 10]));

    expect(target.requests.map(idsOf)).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [1, 2, 3, 4],
      [1, 2],
      [3, 4],
      [3],
      [4],
      [5, 6, 7, 8],
      [5, 6],
      [5],
      [6],
      [7, 8],
      [9, 10], // the second batch: its two halves
      [9],
      [10],
    ]);
    const accepted = target.requests.filter((request) => refuseBad(request).status === 200);
    expect(accepted.flatMap(idsOf)).toEqual([1, 2, 4, 5, 7, 8, 9]);
    expect(receipt.status).toBe('partial');
    expect(receipt.rowsDelivered).toBe(7);
    expect(receipt.destinationRecordIds).toEqual(['crm-1', 'crm-2', 'crm-4', 'crm-5', 'crm-7', 'crm-8', 'crm-9']);
    expect(receipt.errors.map((e) => [e.row, e.batch, e.httpStatus, e.category])).toEqual([
      [2, 0, 422, 'CONFIGURATION'],
      [5, 0, 422, 'CONFIGURATION'],
      [9, 1, 422, 'CONFIGURATION'],
    ]);
    expect(receipt.errors[0]?.message).toMatch(/HTTP 422.*invalid email for contact 3/);
    expect(receipt.errors[2]?.message).toMatch(/invalid email for contact 10/);
    // only accepted requests are counted and hashed, in order
    expect(receipt.bytesTransmitted).toBe(accepted.reduce((sum, request) => sum + request.rawBody.length, 0));
    expect(receipt.checksum).toBe(sha256Of(accepted.map((request) => request.rawBody)));
    const [batch] = spans.named('sink.batch');
    expect(batch?.events.filter((event) => event.name === 'split')).toHaveLength(10);
  });

  it('gives every part its own idempotency key, derived from the batch key and the range, the same on a re-run', async () => {
    const first = open(restDestination({ url: target.url }, { batchSize: 4 }));
    await loadToDestination(first, contacts(4, [2]));
    const keys = target.requests.map((request) => request.headers['idempotency-key']);
    target.requests.length = 0;
    const second = open(restDestination({ url: target.url }, { batchSize: 4 }));
    await loadToDestination(second, contacts(4, [2]));

    expect(target.requests.map((request) => request.headers['idempotency-key'])).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
    const batchKey = keys[0] as string;
    expect(keys.slice(1)).toEqual([
      rangeKey(batchKey, 0, 2),
      rangeKey(batchKey, 0, 1),
      rangeKey(batchKey, 1, 2),
      rangeKey(batchKey, 2, 4),
    ]);
  });

  it('splits wrapped bodies under their wrap key', async () => {
    const dest = open(restDestination({ url: target.url, body: 'wrapped', wrap_key: 'items' }, { batchSize: 3 }));
    const receipt = await loadToDestination(dest, contacts(3, [1]));
    expect(target.requests.map((request) => request.rawBody.toString())).toEqual([
      '{"items":[{"id":1,"email":"bad"},{"id":2,"email":"c2@x.io"},{"id":3,"email":"c3@x.io"}]}',
      '{"items":[{"id":1,"email":"bad"},{"id":2,"email":"c2@x.io"}]}',
      '{"items":[{"id":1,"email":"bad"}]}',
      '{"items":[{"id":2,"email":"c2@x.io"}]}',
      '{"items":[{"id":3,"email":"c3@x.io"}]}',
    ]);
    expect(receipt.rowsDelivered).toBe(2);
    expect(receipt.errors.map((e) => e.row)).toEqual([0]);
  });

  it('rejects every row of a batch refused row by row once the API has accepted rows of the load', async () => {
    const dest = open(restDestination({ url: target.url }, { batchSize: 2 }));
    const receipt = await loadToDestination(dest, contacts(6, [3, 4]));
    expect(target.requests.map(idsOf)).toEqual([[1, 2], [3, 4], [3], [4], [5, 6]]);
    expect(receipt.status).toBe('partial');
    expect(receipt.rowsDelivered).toBe(4);
    expect(receipt.errors.map((e) => [e.row, e.batch])).toEqual([
      [2, 1],
      [3, 1],
    ]);
  });

  it('fails the batch whole, with the first answer, when the API refuses every row of it before accepting any', async () => {
    const dest = open(restDestination({ url: target.url }, { batchSize: 4 }));
    const receipt = await loadToDestination(dest, contacts(4, [1, 2, 3, 4]));
    expect(target.requests).toHaveLength(7); // 2 × 4 − 1
    expect(receipt.status).toBe('failed');
    expect(receipt.rowsDelivered).toBe(0);
    expect(receipt.bytesTransmitted).toBe(0);
    expect(receipt.errors).toHaveLength(1);
    expect(receipt.errors[0]).toMatchObject({ batch: 0, httpStatus: 422, category: 'CONFIGURATION' });
    expect(receipt.errors[0]?.row).toBeUndefined();
  });

  it('never splits a 401 or a 403, and does not split with split_on_reject: false', async () => {
    for (const [status, config] of [
      [401, {}],
      [403, {}],
      [422, { split_on_reject: false }],
    ] as const) {
      target.requests.length = 0;
      target.handle(() => ({ status, body: { message: 'no' } }));
      const dest = open(restDestination({ url: target.url, ...config }, { batchSize: 4 }));
      const receipt = await loadToDestination(dest, contacts(4, [2]));
      expect(target.requests).toHaveLength(1);
      expect(receipt.status).toBe('failed');
      expect(receipt.errors[0]).toMatchObject({ batch: 0, httpStatus: status });
    }
  });

  it('rejects the rows it could not deliver when a part fails for another reason after rows were accepted', async () => {
    target.handle((request) => {
      const ids = idsOf(request);
      if (ids.length === 4) return { status: 422, body: { message: 'one is bad' } };
      if (ids.includes(3)) return { status: 503, body: { message: 'down' } };
      return { status: 200 };
    });
    const dest = open(
      restDestination(
        { url: target.url, retry: { max_attempts: 2, initial_delay_ms: 1, max_delay_ms: 1 } },
        { batchSize: 4 },
      ),
    );
    const receipt = await loadToDestination(dest, contacts(4));
    // whole → 422; [1,2] accepted; [3,4] → 503 twice; nothing more is sent
    expect(target.requests.map(idsOf)).toEqual([
      [1, 2, 3, 4],
      [1, 2],
      [3, 4],
      [3, 4],
    ]);
    expect(receipt.rowsDelivered).toBe(2);
    expect(receipt.errors.map((e) => [e.row, e.category, e.httpStatus])).toEqual([
      [2, 'TRANSIENT', 503],
      [3, 'TRANSIENT', 503],
    ]);
    expect(receipt.errors[0]?.message).toMatch(/not delivered while the batch was being split: HTTP 503/);
  });

  it('refuses split_on_reject: true with body: record', () => {
    let error: unknown;
    try {
      restDestination({ url: target.url, body: 'record', split_on_reject: true });
    } catch (e) {
      error = e;
    }
    expect(isSinkConfigurationError(error) ? error.issues.map((i) => i.path) : []).toEqual(['config.split_on_reject']);
  });

  it('reports 413 Payload Too Large as a configuration failure that says to lower batch_size, without splitting', async () => {
    target.handle(() => ({ status: 413, body: { message: 'request entity too large' } }));
    const dest = open(restDestination({ url: target.url }, { batchSize: 4 }));
    const receipt = await loadToDestination(dest, contacts(4));
    expect(target.requests).toHaveLength(1);
    expect(receipt.errors[0]).toMatchObject({ batch: 0, httpStatus: 413, category: 'CONFIGURATION' });
    expect(receipt.errors[0]?.message).toMatch(/HTTP 413 .*lower batch_size/);
  });
});

describe('deliverSplitting', () => {
  const refused = (status: number) =>
    new SinkWriteError(`HTTP ${status}`, { httpStatus: status, category: 'CONFIGURATION' });

  it('marks the ranges after a failed part as not sent', async () => {
    const calls: string[] = [];
    const outcome = await deliverSplitting(
      6,
      'k',
      async (start, end) => {
        calls.push(`${start}-${end}`);
        if (end - start === 6 || (start === 0 && end === 3)) throw refused(422);
        if (start === 0 && end === 2) return { recordIds: [], rejected: [] };
        throw new SinkWriteError('HTTP 401', { httpStatus: 401, category: 'PERMANENT' });
      },
      { split: true },
    );
    expect(calls).toEqual(['0-6', '0-3', '0-2', '2-3']);
    expect(outcome.rejected?.map((r) => [r.index, r.category])).toEqual([
      [2, 'PERMANENT'],
      [3, 'PERMANENT'],
      [4, 'PERMANENT'],
      [5, 'PERMANENT'],
    ]);
    expect(outcome.rejected?.[0]?.message).toMatch(/^not delivered while the batch was being split: HTTP 401/);
    expect(outcome.rejected?.[3]?.message).toMatch(
      /^not sent after an earlier part of the split batch failed: HTTP 401/,
    );
  });

  it('throws the failure when nothing was delivered, and passes single rows and other errors through', async () => {
    const unauthorized = new SinkWriteError('HTTP 401', { httpStatus: 401, category: 'PERMANENT' });
    await expect(
      deliverSplitting(4, 'k', async (_s, end) => Promise.reject(end === 4 ? refused(400) : unauthorized), {
        split: true,
      }),
    ).rejects.toBe(unauthorized);
    const single = refused(422);
    await expect(deliverSplitting(1, 'k', async () => Promise.reject(single), { split: true })).rejects.toBe(single);
    const plain = new Error('socket hang up');
    await expect(deliverSplitting(4, 'k', async () => Promise.reject(plain), { split: true })).rejects.toBe(plain);
  });

  it('offsets per-record rejections of a part answer to the batch', async () => {
    const outcome = await deliverSplitting(
      4,
      'k',
      async (start, end) => {
        if (end - start === 4) throw refused(400);
        return { recordIds: [`r${start}`], rejected: start === 2 ? [{ index: 1, message: 'dup' }] : [] };
      },
      { split: true },
    );
    expect(outcome).toEqual({ recordIds: ['r0', 'r2'], rejected: [{ index: 3, message: 'dup' }] });
  });
});
