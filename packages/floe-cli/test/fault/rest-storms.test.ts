import { afterEach, beforeAll, afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { tempDir, writeProject } from '../e2e/helpers.js';
import { runCli } from './support/cli-process.js';
import { startIdempotentApi, storedExactly, type IdempotentApi } from './support/idempotent-api.js';
import { faultSeed, mulberry32, withSeed } from './support/prng.js';
import { writeSourceTable, type SourceRow } from './support/source-table.js';

const ROWS = 6_000;
const BATCH_SIZE = 500;
const BATCHES = ROWS / BATCH_SIZE;

/** A receipt event's fields the tests read. */
interface ReceiptEvent {
  status: string;
  exitCode: number;
  receipt: { rowsDelivered: number; errors: { httpStatus?: number; batch?: number }[] };
  delivery: Record<string, unknown>;
}

/**
 * 429 storms with Retry-After, 5xx storms, an outage longer than the retry budget and answers that never
 * come: the run completes within its retry budget, or fails with a receipt that says exactly what was
 * delivered and a rerun finishes it — every row exactly once.
 */
describe('floe egress run → a REST API in trouble', () => {
  let source: SourceRow[];
  let gold: { dir: string; cleanup: () => void };
  let api: IdempotentApi;
  let project: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    gold = tempDir('floe-fault-storm-gold-');
    source = await writeSourceTable(gold.dir, ROWS);
  });
  afterAll(() => gold.cleanup());
  beforeEach(async () => {
    api = await startIdempotentApi();
    project = tempDir('floe-fault-storm-');
  });
  afterEach(async () => {
    await api.close();
    project.cleanup();
  });

  function spec(config: Record<string, unknown> = {}): string {
    return writeProject(project.dir, [
      {
        name: 'crm',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm-api',
        source_table: gold.dir,
        batch_size: BATCH_SIZE,
        config: {
          url: `${api.url}/contacts`,
          retry: { max_attempts: 6, initial_delay_ms: 5, max_delay_ms: 50 },
          ...config,
        },
      },
    ]);
  }
  // Bounded: a run that hangs is killed after 40 s and fails its test with its output.
  const run = async (file: string) => {
    const result = await runCli(
      ['egress', 'run', '--spec', file, '--json'],
      { FLOE_SECRET_CRM_API_TOKEN: 'tok' },
      project.dir,
      40_000,
    );
    if (result.code === null)
      throw new Error(`floe egress run did not finish in 40 s:\n${result.stdout()}\n${result.stderr()}`);
    return result;
  };
  const receiptOf = (events: Record<string, unknown>[]) =>
    events.find((event) => event.event === 'receipt') as unknown as ReceiptEvent;

  function expectExactlyOnce(): void {
    const held = storedExactly(api);
    expect(held.duplicates).toEqual([]);
    expect(held.ids).toBe(ROWS);
    expect(held.records).toEqual(source);
  }

  it('completes through a 429 storm with Retry-After', async () => {
    const refusals = new Map<string, number>();
    api.fault((key) => {
      const seen = refusals.get(key) ?? 0;
      if (seen >= 3) return undefined;
      refusals.set(key, seen + 1);
      return { status: 429, headers: { 'retry-after': '0.02' }, body: { error: 'slow down' } };
    });
    const result = await run(spec());
    expect(result.code).toBe(0);
    expect([...refusals.values()]).toEqual(Array.from({ length: BATCHES }, () => 3));
    expect(receiptOf(result.events).delivery).toMatchObject({
      rowsDelivered: ROWS,
      status: 'completed',
      resumed: false,
    });
    expectExactlyOnce();
  }, 90_000);

  it('completes through a storm of 500, 502 and 503 answers within its retry budget', async () => {
    const seed = faultSeed();
    const random = mulberry32(seed);
    await withSeed(seed, async () => {
      let failed = 0;
      api.fault(() => {
        if (random() >= 0.5) return undefined;
        failed += 1;
        return { status: [500, 502, 503][Math.floor(random() * 3)] as number, body: { error: 'upstream' } };
      });
      const result = await run(
        spec({
          retry: { max_attempts: 12, initial_delay_ms: 2, max_delay_ms: 20 },
          circuit_breaker: { threshold: 100 },
        }),
      );
      expect(result.code).toBe(0);
      expect(failed).toBeGreaterThan(0);
      expect(receiptOf(result.events).receipt.rowsDelivered).toBe(ROWS);
      expectExactlyOnce();
    });
  }, 90_000);

  it('fails resumably when an outage outlasts the retry budget: the receipt says exactly what was delivered, the rerun finishes', async () => {
    let down = true;
    api.fault(() => (down && api.answers.size >= 5 ? { status: 503, body: { error: 'maintenance' } } : undefined));
    const file = spec({ retry: { max_attempts: 3, initial_delay_ms: 5, max_delay_ms: 10 } });
    const failed = await run(file);
    expect(failed.code).toBe(1);
    const first = receiptOf(failed.events);
    expect(first.status).toBe('failed');
    expect(first.receipt.rowsDelivered).toBe(5 * BATCH_SIZE);
    expect(first.receipt.errors).toEqual([expect.objectContaining({ httpStatus: 503, batch: 5 })]);
    expect(first.delivery).toMatchObject({
      status: 'failed',
      rowsDelivered: 5 * BATCH_SIZE,
      batchesCommitted: 5,
      batchesTotal: BATCHES,
    });
    expect(storedExactly(api).ids).toBe(5 * BATCH_SIZE);

    down = false;
    const rerun = await run(file);
    expect(rerun.code).toBe(0);
    const second = receiptOf(rerun.events);
    expect(second.delivery).toMatchObject({
      runId: first.delivery.runId,
      resumed: true,
      attempt: 2,
      resumedFromBatch: 5,
      batchesSkipped: 5,
      rowsDeliveredEarlier: 5 * BATCH_SIZE,
      rowsDeliveredThisAttempt: ROWS - 5 * BATCH_SIZE,
      rowsDelivered: ROWS,
      status: 'completed',
    });
    expectExactlyOnce();
  }, 90_000);

  it('completes when answers never come (timeout): the retried request carries the same key and is answered from the store', async () => {
    const hung = new Set<string>();
    api.fault((key) => {
      if (hung.size >= 4 || hung.has(key) || api.answers.size % 3 !== 1) return undefined;
      hung.add(key);
      return 'hang-after';
    });
    const result = await run(spec({ timeout_ms: 300 }));
    expect(result.code).toBe(0);
    expect(hung.size).toBe(4);
    expect(api.replays()).toBeGreaterThanOrEqual(4);
    expect(receiptOf(result.events).delivery).toMatchObject({ rowsDelivered: ROWS, status: 'completed' });
    expectExactlyOnce();
  }, 90_000);
});
