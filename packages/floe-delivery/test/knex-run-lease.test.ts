import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LeaseAcquisition, RunLease } from '@floe/core';
import { leaseHeldMessage, openStateStore, takeRunLease, type KnexDeliveryLedger } from '../src/index.js';

/** A pid no process has (above Linux's pid_max). */
const DEAD_PID = 99_999_999;

function held(outcome: LeaseAcquisition): RunLease {
  if (!outcome.acquired) throw new Error(`not acquired: held by ${outcome.holder.runId}`);
  return outcome.lease;
}

describe('KnexDeliveryLedger.acquireLease (SQLite state store)', () => {
  let dir: string;
  let clock: number;
  let stores: KnexDeliveryLedger[];
  const open = (host = 'h1'): KnexDeliveryLedger => {
    const store = openStateStore(join(dir, 'state.db'), { now: () => new Date(clock), host });
    stores.push(store);
    return store;
  };
  const owner = (runId: string, pid = process.pid, host = 'h1') => ({ runId, pid, host });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'floe-lease-'));
    clock = Date.parse('2026-01-02T03:04:05Z');
    stores = [];
  });
  afterEach(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the lease to one owner at a time and tells the next who holds it', async () => {
    const a = open();
    const b = open();
    const lease = held(await a.acquireLease('p/crm', owner('run-a'), { timeoutMs: 30_000 }));
    clock += 2_000;
    const refused = await b.acquireLease('p/crm', owner('run-b'), { timeoutMs: 30_000 });
    expect(refused.acquired).toBe(false);
    if (refused.acquired) return;
    expect(refused.holder).toMatchObject({ runId: 'run-a', pid: process.pid, host: 'h1' });
    expect(leaseHeldMessage('crm', refused.holder, new Date(clock))).toBe(
      `destination crm is being delivered by run run-a (pid ${process.pid} on host h1, heartbeat 2 s ago)`,
    );
    // Another key is free.
    held(await b.acquireLease('p/other', owner('run-b'), { timeoutMs: 30_000 }));
    await lease.release();
    held(await b.acquireLease('p/crm', owner('run-b'), { timeoutMs: 30_000 }));
  });

  it('takes over a lease whose holder stopped heartbeating, once the timeout passed', async () => {
    const a = open('elsewhere');
    const b = open();
    const first = held(await a.acquireLease('crm', owner('run-a', 1, 'elsewhere'), { timeoutMs: 60_000 }));
    await first.release(); // stops its heartbeat…
    await a.acquireLease('crm', owner('run-a', 1, 'elsewhere'), { timeoutMs: 60_000 }); // …and a silent holder remains
    clock += 4_000;
    expect((await b.acquireLease('crm', owner('run-b'), { timeoutMs: 5_000 })).acquired).toBe(false);
    clock += 2_000;
    const taken = held(await b.acquireLease('crm', owner('run-b'), { timeoutMs: 5_000 }));
    expect(taken.key).toBe('crm');
  });

  it('takes over at once a lease held by a process of this host that is gone (SIGKILL)', async () => {
    const a = open();
    held(await a.acquireLease('crm', owner('run-a', DEAD_PID), { timeoutMs: 600_000 }));
    held(await open().acquireLease('crm', owner('run-b'), { timeoutMs: 600_000 }));
  });

  it('keeps the lease alive with its heartbeat, and knows when it was taken over', async () => {
    const lease = held(await open().acquireLease('crm', owner('run-a'), { timeoutMs: 150 }));
    clock += 1_000;
    await new Promise((resolve) => setTimeout(resolve, 200)); // heartbeats at the new time
    expect((await open().acquireLease('crm', owner('run-b'), { timeoutMs: 150 })).acquired).toBe(false);
    // A holder recorded as a gone process of this host (its heartbeat still beating) is taken over…
    const ghost = held(await open().acquireLease('ghost', owner('run-a', DEAD_PID), { timeoutMs: 150 }));
    const stolen = held(await open().acquireLease('ghost', owner('run-b'), { timeoutMs: 100_000_000 }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // …and the next heartbeat of the old holder learns it lost the lease; its release leaves the new one alone.
    expect(ghost.lost).toBe(true);
    expect(lease.lost).toBe(false);
    await ghost.release();
    expect((await open().acquireLease('ghost', owner('run-c'), { timeoutMs: 100_000_000 })).acquired).toBe(false);
    await stolen.release();
    await lease.release();
  });

  it('waits for the holder up to waitMs (takeRunLease), and closing the store frees its leases', async () => {
    const a = open();
    held(await a.acquireLease('crm', owner('run-a'), { timeoutMs: 30_000 }));
    const b = open();
    const started = Date.now();
    const busy = await takeRunLease(b, 'crm', 'run-b', { waitMs: 300, host: 'h1' });
    expect(busy.held).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const waiting = takeRunLease(b, 'crm', 'run-b', { waitMs: 10_000, host: 'h1' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await a.close();
    const got = await waiting;
    expect(got.held).toBe(true);
  });
});
