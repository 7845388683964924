import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpTarget, type HttpTarget } from '@floe/test-harness';
import type { CommittedBatch, DeliveryLedger, LedgerRunInit, SyncWrite } from '@floe/core';
import { deliveryRunKey, openStateStore, type KnexDeliveryLedger } from '@floe/delivery';
import { loadToDestination } from '../../../src/engine/destination/load.js';
import type { Destination } from '../../../src/engine/destination/destination.js';
import { ContactsApi, changes, fingerprintOf, type Change } from '../../helpers/contacts-api.js';
import { restDestination } from '../../helpers/rest.js';

const SCOPE = { destination: 'crm-contacts' };
const MIRROR: SyncWrite = { mode: 'mirror', primaryKey: ['customer_id'], onDelete: 'delete' };
const runKey = deliveryRunKey({
  destination: 'crm-contacts',
  identity: 'rest_api:POST http://api/contacts',
  sourceTable: 'gold.customers',
  snapshotId: '7',
  batchSize: 3,
  disposition: 'mirror',
});

function init(attemptId: string, totalRows: number): LedgerRunInit {
  return {
    runId: 'run-sync-1',
    runKey,
    attemptId,
    destination: 'crm-contacts',
    sinkType: 'rest_api',
    target: 'http://api/contacts',
    sourceTable: 'gold.customers',
    snapshotId: '7',
    batchSize: 3,
    disposition: 'mirror',
    totalRows,
    changes: { path: 'full-scan', reason: 'first run', inserts: 2, updates: 2, deletes: 1, unchanged: 0 },
  };
}

/** The ledger, recording every commit mark it is given (the sync rows ride on it). */
function spied(store: KnexDeliveryLedger): { ledger: DeliveryLedger; commits: CommittedBatch[] } {
  const commits: CommittedBatch[] = [];
  const ledger = new Proxy(store, {
    get(target, property) {
      if (property === 'markCommitted')
        return async (runId: string, batch: CommittedBatch) => {
          commits.push(batch);
          await target.markCommitted(runId, batch);
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ledger, commits };
}

describe('rest_api sync with a state-store ledger', () => {
  let dir: string;
  let store: KnexDeliveryLedger;
  let target: HttpTarget;
  const opened: Destination[] = [];
  const open = (destination: Destination): Destination => {
    opened.push(destination);
    return destination;
  };
  const syncedRecords = async (): Promise<unknown[]> => {
    const all: unknown[] = [];
    for await (const page of store.sync.records(SCOPE)) all.push(...page.map((record) => ({ ...record })));
    return all;
  };
  const config = (): Record<string, unknown> => ({
    base_url: target.url,
    upsert: { method: 'POST', path: '/contacts' },
    update: { method: 'PATCH', path: '/contacts/{id}' },
    delete: { method: 'DELETE', path: '/contacts/{id}' },
    record_id_path: 'id',
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'floe-rest-sync-'));
    store = openStateStore(join(dir, 'state.db'));
    target = await startHttpTarget();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.hooks.close?.()));
    await target.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows: Change[] = [
    { op: 'upsert', id: 1, email: 'a@x.io', name: 'A' },
    { op: 'upsert', id: 2, email: 'not-an-email', name: 'B' },
    { op: 'update', id: 3, email: 'c2@x.io', name: 'C2', destId: 'c-1' },
    { op: 'update', id: 4, email: 'd2@x.io', name: 'D2', destId: 'c-gone' },
    { op: 'delete', id: 5, destId: 'c-2' },
  ];

  it('records the handled rows of each batch with its commit: ids the API gave, skips; not the rejected rows', async () => {
    const api = new ContactsApi([
      ['c-1', { customer_id: 3, email: 'c@x.io', name: 'C' }],
      ['c-2', { customer_id: 5, email: 'e@x.io', name: 'E' }],
    ]);
    target.handle(api.handle);
    const { ledger, commits } = spied(store);
    const dest = open(restDestination(config(), { batchSize: 3 }));
    const receipt = await loadToDestination(dest, changes(rows), {
      sync: MIRROR,
      delivery: { ledger, state: await ledger.begin(init('a1', rows.length)) },
    });

    expect(receipt.status).toBe('partial');
    expect(receipt.rowsDelivered).toBe(3);
    expect(receipt.rowsSkipped).toBe(1);
    expect(receipt.errors).toEqual([expect.objectContaining({ row: 1, httpStatus: 422 })]);
    expect(api.snapshot()).toEqual({
      'c-1': { customer_id: 3, email: 'c2@x.io', name: 'C2' },
      'c-3': { customer_id: 1, email: 'a@x.io', name: 'A' },
    });
    expect(commits.map((c) => [c.batchIndex, c.rowsDelivered, c.rowsRejected])).toEqual([
      [0, 2, 1],
      [1, 1, 0],
    ]);
    const fp = (i: number): string | null => fingerprintOf(rows[i] as Change);
    expect(commits[0]?.sync).toEqual([
      { key: '1', fingerprint: fp(0), destinationId: 'c-3' },
      { key: '3', fingerprint: fp(2), destinationId: 'c-1' },
    ]);
    expect(commits[1]?.sync).toEqual([
      { key: '4', fingerprint: fp(3), destinationId: 'c-gone' },
      { key: '5', fingerprint: null },
    ]);
    expect((await store.finish('run-sync-1', 'completed'))?.rowsDelivered).toBe(3);
    // The store wrote them as the run's pending state: settled, they are the synced records (2, rejected, is not).
    await store.sync.settle(SCOPE, { runId: 'run-sync-1' });
    expect(await syncedRecords()).toEqual([
      { key: '1', fingerprint: fp(0), destinationId: 'c-3' },
      { key: '3', fingerprint: fp(2), destinationId: 'c-1' },
      { key: '4', fingerprint: fp(3), destinationId: 'c-gone' },
    ]);
  });

  it('resumes after the committed batch, re-sending the failed one with the same idempotency keys', async () => {
    const api = new ContactsApi([
      ['c-1', { customer_id: 3, email: 'c@x.io', name: 'C' }],
      ['c-2', { customer_id: 5, email: 'e@x.io', name: 'E' }],
    ]);
    // The first attempt: the API is down for the second batch (every retry answers 503).
    target.handle((request) => (request.url === '/contacts/c-gone' ? { status: 503 } : api.handle(request)));
    const first = open(restDestination(config(), { batchSize: 3 }));
    const failed = await loadToDestination(first, changes(rows), {
      sync: MIRROR,
      delivery: { ledger: store, state: await store.begin(init('a1', rows.length)) },
    });
    expect(failed.status).toBe('failed');
    await store.finish('run-sync-1', 'failed');
    const firstKeys = target.requests
      .filter((r) => r.url === '/contacts/c-gone')
      .map((r) => r.headers['idempotency-key']);
    expect(new Set(firstKeys).size).toBe(1);

    target.requests.length = 0;
    target.handle(api.handle);
    const { ledger, commits } = spied(store);
    const state = await ledger.begin(init('a2', rows.length));
    expect([...state.committed.keys()]).toEqual([0]);
    const second = open(restDestination(config(), { batchSize: 3 }));
    const resumed = await loadToDestination(second, changes(rows), { sync: MIRROR, delivery: { ledger, state } });

    expect(target.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PATCH /contacts/c-gone',
      'DELETE /contacts/c-2',
    ]);
    expect(target.requests[0]?.headers['idempotency-key']).toBe(firstKeys[0]);
    expect(resumed.rowsSkipped).toBe(1);
    expect(commits.map((c) => c.batchIndex)).toEqual([1]);
    expect(commits[0]?.sync?.map((row) => row.key)).toEqual(['4', '5']);
    await store.finish('run-sync-1', 'completed');
    await store.sync.settle(SCOPE, { runId: 'run-sync-1' });
    expect((await syncedRecords()).map((record) => (record as { key: string }).key)).toEqual(['1', '3', '4']);
    expect(api.snapshot()).toEqual({
      'c-1': { customer_id: 3, email: 'c2@x.io', name: 'C2' },
      'c-3': { customer_id: 1, email: 'a@x.io', name: 'A' },
    });
  });
});
