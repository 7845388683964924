import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from '@jest/globals';
import { startHttpTarget, captureSpans, spanText, type HttpTarget, type MemorySpans } from '@floe/test-harness';
import { Int32, Utf8, vectorFromArray } from 'apache-arrow';
import { loadToDestination } from '../../../src/engine/destination/load.js';
import { isSinkConfigurationError } from '../../../src/errors/index.js';
import type { Clock } from '../../../src/internal/clock.js';
import { tableOf } from '../../helpers/arrow.js';
import { BIG, goldCustomers } from '../../helpers/fixtures.js';
import { parseExact, restDestination } from '../../helpers/rest.js';
import { sha256Of } from '../../helpers/sha.js';
import type { Destination } from '../../../src/engine/destination/destination.js';

const TOKEN = 'tok-SECRET-4b1d2c3e';

/** The gold table as the API must receive it (int64 beyond 2^53 as exact digits, compared as strings). */
const EXPECTED_GOLD = [
  {
    customer_id: 1,
    email_address: 'a@x.io',
    balance: 123.45,
    updated_at: '2024-05-01T10:00:00.123456Z',
    local_at: '2024-05-01T10:00:00.123456789',
    birthday: '1970-01-01',
    active: true,
    score: 1.5,
    avatar: 'AQID',
    external_id: '00010203-0405-0607-0809-0a0b0c0d0e0f',
    tags: ['a', 'b'],
    address: { city: 'Paris', zip: 75001 },
    points: 0,
    signup_ms: '1970-01-02',
  },
  {
    customer_id: String(BIG),
    email_address: 'b@x.io',
    balance: -0.05,
    updated_at: '1970-01-01T00:00:00.000000Z',
    local_at: '1970-01-01T00:00:00.000000001',
    birthday: '1969-12-31',
    active: false,
    score: 0,
    avatar: null,
    external_id: '10111213-1415-1617-1819-1a1b1c1d1e1f',
    tags: [],
    address: { city: null, zip: 1 },
    points: '18446744073709551615',
    signup_ms: '1970-01-01',
  },
  {
    customer_id: String(-BIG),
    email_address: null,
    balance: 0,
    updated_at: null,
    local_at: '1969-12-31T23:59:59.999999999',
    birthday: '2024-05-01',
    active: null,
    score: 'NaN',
    avatar: '',
    external_id: '20212223-2425-2627-2829-2a2b2c2d2e2f',
    tags: null,
    address: null,
    points: 7,
    signup_ms: '1969-12-31',
  },
  {
    customer_id: 42,
    email_address: 'quote"and\\slash',
    balance: 1,
    updated_at: '1969-12-31T23:59:59.999999Z',
    local_at: '1970-01-01T00:00:00.000000000',
    birthday: '2000-02-29',
    active: true,
    score: 'Infinity',
    avatar: '/w==',
    external_id: '30313233-3435-3637-3839-3a3b3c3d3e3f',
    tags: ['c'],
    address: { city: 'Oslo', zip: 150 },
    points: 8,
    signup_ms: '2024-05-01',
  },
  {
    customer_id: '9223372036854775807',
    email_address: 'ünï©ødé',
    balance: 999999999.99,
    updated_at: '9999-12-31T23:59:59.999999Z',
    local_at: '1970-01-01T00:00:00.000000005',
    birthday: '0000-01-01',
    active: false,
    score: '-Infinity',
    avatar: 'AA==',
    external_id: '40414243-4445-4647-4849-4a4b4c4d4e4f',
    tags: ['d', 'e', 'f'],
    address: { city: 'Rome', zip: 100 },
    points: 9,
    signup_ms: '1970-01-01',
  },
  {
    customer_id: '-9223372036854775808',
    email_address: '',
    balance: -1234567890.12,
    updated_at: '1970-01-01T00:00:00.000001Z',
    local_at: '1970-01-01T00:00:00.999999999',
    birthday: '+010000-01-01',
    active: true,
    score: 0.1,
    avatar: 'aGk=',
    external_id: '50515253-5455-5657-5859-5a5b5c5d5e5f',
    tags: ['g'],
    address: { city: 'Bern', zip: 3000 },
    points: 10,
    signup_ms: '1970-01-01',
  },
];

function contacts(n: number) {
  return tableOf({
    id: vectorFromArray(
      Array.from({ length: n }, (_, i) => i + 1),
      new Int32(),
    ),
    email: vectorFromArray(
      Array.from({ length: n }, (_, i) => `c${i + 1}@x.io`),
      new Utf8(),
    ),
  });
}

describe('rest_api destination', () => {
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
    target = await startHttpTarget();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.hooks.close?.()));
    await target.close();
  });

  it('posts JSON arrays of batch_size records that match the source row for row', async () => {
    let next = 0;
    target.handle((request) => ({
      status: 201,
      body: (request.body as unknown[]).map(() => ({ id: `crm-${(next += 1)}` })),
    }));
    const dest = open(
      restDestination({ url: `${target.url}/v1/contacts`, record_id_path: 'id', token: TOKEN }, { batchSize: 2 }),
    );
    const receipt = await loadToDestination(dest, goldCustomers());
    expect(target.requests).toHaveLength(3);
    const landed = target.requests.flatMap((request) => parseExact(request.rawBody.toString('utf8')) as unknown[]);
    expect(landed).toEqual(EXPECTED_GOLD);
    for (const request of target.requests) {
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/v1/contacts');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers['idempotency-key']).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(receipt.success).toBe(true);
    expect(receipt.rowsDelivered).toBe(6);
    expect(receipt.destinationRecordIds).toEqual(['crm-1', 'crm-2', 'crm-3', 'crm-4', 'crm-5', 'crm-6']);
    expect(receipt.bytesTransmitted).toBe(target.requests.reduce((sum, r) => sum + r.rawBody.length, 0));
    expect(receipt.checksum).toBe(sha256Of(target.requests.map((r) => r.rawBody)));
    expect(JSON.stringify(receipt)).not.toContain(TOKEN);
    expect(spanText(spans.spans())).not.toContain(TOKEN);
  });

  it('sends the same idempotency keys when the same data is delivered again', async () => {
    const first = open(restDestination({ url: target.url, token: TOKEN }, { batchSize: 2 }));
    const a = await loadToDestination(first, contacts(5));
    const keysA = target.requests.map((r) => r.headers['idempotency-key']);
    target.requests.length = 0;
    const second = open(restDestination({ url: target.url, token: TOKEN }, { batchSize: 2 }));
    const b = await loadToDestination(second, contacts(5));
    expect(target.requests.map((r) => r.headers['idempotency-key'])).toEqual(keysA);
    expect(new Set(keysA).size).toBe(3);
    expect(b.idempotencyKey).toBe(a.idempotencyKey);
  });

  it('wraps records under wrap_key with base_url + path, PUT, basic auth and ids at a nested path', async () => {
    target.handle((request) => ({
      status: 200,
      body: { results: (request.body as { items: unknown[] }).items.map((_, i) => ({ data: { id: i + 100 } })) },
    }));
    const dest = open(
      restDestination(
        {
          base_url: `${target.url}/api/`,
          path: '/v2/people',
          method: 'PUT',
          body: 'wrapped',
          wrap_key: 'items',
          record_id_path: 'data.id',
          username: 'svc',
          password: 'pa55-word!',
          headers: { 'X-Tenant': 'acme' },
        },
        { fieldMapping: { email: 'email_address' } },
      ),
    );
    const receipt = await loadToDestination(dest, contacts(3), { fieldMapping: { email: 'email_address' } });
    expect(target.requests).toHaveLength(1);
    const [request] = target.requests;
    expect(request?.method).toBe('PUT');
    expect(request?.url).toBe('/api/v2/people');
    expect(request?.headers['x-tenant']).toBe('acme');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('svc:pa55-word!').toString('base64')}`);
    expect(request?.rawBody.toString()).toBe(
      '{"items":[{"id":1,"email_address":"c1@x.io"},{"id":2,"email_address":"c2@x.io"},{"id":3,"email_address":"c3@x.io"}]}',
    );
    expect(receipt.destinationRecordIds).toEqual(['100', '101', '102']);
  });

  it('sends one record per request with body record, and rejects the record a 422 refuses', async () => {
    target.handle((request) => {
      const body = request.body as { id: number };
      if (body.id === 2) return { status: 422, body: { message: 'email already taken' } };
      return { status: 201, body: { id: `r${body.id}` } };
    });
    const dest = open(
      restDestination(
        { url: target.url, body: 'record', record_id_path: 'id', max_concurrency: 2, api_key: 'k-SECRET-998877' },
        { batchSize: 100 },
      ),
    );
    const receipt = await loadToDestination(dest, contacts(4));
    expect(target.requests).toHaveLength(4);
    expect(target.requests.map((r) => (r.body as { id: number }).id).sort()).toEqual([1, 2, 3, 4]);
    expect(target.requests[0]?.headers['x-api-key']).toBe('k-SECRET-998877');
    expect(receipt.status).toBe('partial');
    expect(receipt.rowsDelivered).toBe(3);
    expect(receipt.destinationRecordIds).toEqual(['r1', 'r3', 'r4']);
    expect(receipt.errors).toHaveLength(1);
    expect(receipt.errors[0]).toMatchObject({ row: 1, httpStatus: 422, category: 'CONFIGURATION' });
    expect(receipt.errors[0]?.message).toMatch(/HTTP 422.*email already taken/);
    expect(receipt.bytesTransmitted).toBe(target.requests.reduce((sum, r) => sum + r.rawBody.length, 0));
  });

  it('reads per-record results from a 207 multi-status answer', async () => {
    target.handle(() => ({
      status: 207,
      body: [
        { status: 201, id: 'a' },
        { status: 400, error: { message: 'bad email' } },
        { status: 200, id: 'c' },
      ],
    }));
    const dest = open(restDestination({ url: target.url, record_id_path: 'id' }));
    const receipt = await loadToDestination(dest, contacts(3));
    expect(receipt.rowsDelivered).toBe(2);
    expect(receipt.destinationRecordIds).toEqual(['a', 'c']);
    expect(receipt.errors).toEqual([
      { message: 'bad email', category: 'CONFIGURATION', row: 1, batch: 0, httpStatus: 400 },
    ]);
  });

  it('reads an errors array with record indexes from a 200 answer', async () => {
    target.handle(() => ({ status: 200, body: { errors: [{ index: 1, message: 'invalid email' }] } }));
    const dest = open(restDestination({ url: target.url }, { batchSize: 2 }));
    const receipt = await loadToDestination(dest, contacts(4));
    expect(receipt.rowsDelivered).toBe(2);
    expect(receipt.errors.map((e) => [e.row, e.message, e.category])).toEqual([
      [1, 'invalid email', 'PERMANENT'],
      [3, 'invalid email', 'PERMANENT'],
    ]);
  });

  it('fails without retrying on 400 (configuration) and 401 (permanent), leaking no secret', async () => {
    // (with split_on_reject: false; the split of a refused batch is tested in split-on-reject.test.ts)
    for (const [status, category] of [
      [400, 'CONFIGURATION'],
      [401, 'PERMANENT'],
    ] as const) {
      target.requests.length = 0;
      target.handle(() => ({ status, body: { error: `no: Bearer ${TOKEN}` } }));
      const dest = open(restDestination({ url: target.url, token: TOKEN, split_on_reject: false }));
      const receipt = await loadToDestination(dest, contacts(2));
      expect(target.requests).toHaveLength(1);
      expect(receipt.status).toBe('failed');
      expect(receipt.rowsDelivered).toBe(0);
      expect(receipt.errors[0]).toMatchObject({ category, httpStatus: status, batch: 0 });
      expect(receipt.errors[0]?.message).toMatch(new RegExp(`HTTP ${status}.*attempts=1`));
      expect(JSON.stringify(receipt)).not.toContain(TOKEN);
    }
    expect(spanText(spans.spans())).not.toContain(TOKEN);
  });

  it('retries 429 (honouring Retry-After) and 500 with the same idempotency key, counting the body once', async () => {
    target.handle((_request, index) => {
      if (index === 0) return { status: 429, headers: { 'retry-after': '0' }, body: { error: 'slow down' } };
      if (index === 1) return { status: 500, body: 'oops' };
      return { status: 200, body: [] };
    });
    const dest = open(restDestination({ url: target.url }));
    const receipt = await loadToDestination(dest, contacts(3));
    expect(target.requests).toHaveLength(3);
    expect(new Set(target.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(receipt.success).toBe(true);
    expect(receipt.bytesTransmitted).toBe(target.requests[0]?.rawBody.length);
    expect(receipt.checksum).toBe(sha256Of([target.requests[0]!.rawBody]));
    const [batch] = spans.named('sink.batch');
    expect(batch?.attributes).toMatchObject({ 'sink.attempts': 3, 'http.response.status_code': 200 });
    expect(batch?.events.filter((e) => e.name === 'retry')).toHaveLength(2);
  });

  it('retries a 409 "idempotency key in use" (a concurrent request with the same key) with the same key', async () => {
    target.handle((_request, index) => {
      if (index === 0)
        return { status: 409, body: { error: { code: 'idempotency_key_in_use', message: 'retry later' } } };
      return { status: 200, body: [] };
    });
    const dest = open(restDestination({ url: target.url }));
    const receipt = await loadToDestination(dest, contacts(3));
    expect(receipt.success).toBe(true);
    expect(receipt.errors).toEqual([]);
    expect(target.requests).toHaveLength(2);
    expect(new Set(target.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
  });

  it('still fails a 409 that is a conflict of the data, not of the idempotency key (PERMANENT)', async () => {
    target.handle(() => ({ status: 409, body: { error: 'contact already exists' } }));
    const dest = open(restDestination({ url: target.url }));
    const receipt = await loadToDestination(dest, contacts(1));
    expect(target.requests).toHaveLength(1);
    expect(receipt.errors[0]).toMatchObject({ category: 'PERMANENT', httpStatus: 409 });
  });

  it('gives up after max_attempts transient failures with a TRANSIENT receipt', async () => {
    target.handle(() => ({ status: 503, body: { error: 'down' } }));
    const dest = open(restDestination({ url: target.url }, { batchSize: 2 }));
    const receipt = await loadToDestination(dest, contacts(4));
    expect(target.requests).toHaveLength(3);
    expect(receipt.rowsDelivered).toBe(0);
    expect(receipt.errors).toHaveLength(1);
    expect(receipt.errors[0]).toMatchObject({ category: 'TRANSIENT', httpStatus: 503, batch: 0 });
    expect(receipt.errors[0]?.message).toMatch(/attempts=3/);
  });

  it('times out a hanging server per request and retries', async () => {
    target.handle(() => ({ hang: true }));
    const dest = open(
      restDestination({
        url: target.url,
        timeout_ms: 50,
        retry: { max_attempts: 2, initial_delay_ms: 1, max_delay_ms: 2 },
      }),
    );
    const receipt = await loadToDestination(dest, contacts(1));
    expect(target.requests).toHaveLength(2);
    expect(receipt.errors[0]).toMatchObject({ category: 'TRANSIENT', batch: 0 });
    expect(receipt.errors[0]?.message).toMatch(/ETIMEDOUT|[Tt]imeout/);
  });

  it('fails fast once the circuit breaker opens', async () => {
    target.handle(() => ({ status: 500 }));
    const dest = open(
      restDestination({
        url: target.url,
        retry: { max_attempts: 5, initial_delay_ms: 1, max_delay_ms: 1 },
        circuit_breaker: { threshold: 2, half_open_after_ms: 60_000 },
      }),
    );
    const receipt = await loadToDestination(dest, contacts(1));
    expect(target.requests).toHaveLength(2);
    expect(receipt.errors[0]?.message).toMatch(/circuit breaker open after 2 consecutive/);
  });

  it('reports an unreachable destination as a transient connection failure', async () => {
    const url = target.url;
    await target.close();
    target = await startHttpTarget();
    const dest = open(restDestination({ url, retry: { max_attempts: 2, initial_delay_ms: 1, max_delay_ms: 1 } }));
    const receipt = await loadToDestination(dest, contacts(1));
    expect(receipt.errors[0]).toMatchObject({ category: 'TRANSIENT' });
    expect(receipt.errors[0]?.message).toMatch(/ECONNREFUSED/);
  });

  it('spaces requests by requests_per_second and caps concurrency by max_concurrency', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    };
    let inFlight = 0;
    let peak = 0;
    target.handle(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight -= 1;
      return { status: 200 };
    });
    const dest = open(
      restDestination(
        { url: target.url, requests_per_second: 10, max_concurrency: 2 },
        { batchSize: 1, deps: { clock } },
      ),
    );
    const receipt = await loadToDestination(dest, contacts(4));
    expect(receipt.rowsDelivered).toBe(4);
    expect(peak).toBeLessThanOrEqual(2);
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBeCloseTo(300, 5);
  });

  it('throws a configuration error with paths, before any request, for an invalid config', () => {
    let error: unknown;
    try {
      restDestination({
        base_url: 'ftp://x',
        path: 5,
        method: 'GET',
        body: 'array',
        wrap_key: 'x',
        token: TOKEN,
        api_key: 'other-secret',
        headers: { Authorization: 'Bearer x' },
        typo_key: 1,
      });
    } catch (e) {
      error = e;
    }
    expect(isSinkConfigurationError(error)).toBe(true);
    const paths = isSinkConfigurationError(error) ? error.issues.map((i) => i.path) : [];
    expect(paths).toEqual(['config.base_url', 'config.path', 'config.method', 'config']);
    expect(String((error as Error).message)).not.toContain(TOKEN);
    const rules = (() => {
      try {
        restDestination({
          url: target.url,
          wrap_key: 'x',
          token: TOKEN,
          api_key: 'other-secret',
          username: 'u',
          headers: { Authorization: 'Bearer x' },
          retry: { initial_delay_ms: 10, max_delay_ms: 1 },
        });
      } catch (e) {
        return isSinkConfigurationError(e) ? e.issues.map((i) => i.path) : [];
      }
      return [];
    })();
    expect(rules).toEqual([
      'config.wrap_key',
      'config.headers.Authorization',
      'config.retry.initial_delay_ms',
      'config',
      'config.password',
    ]);
    expect(target.requests).toHaveLength(0);
  });
});
