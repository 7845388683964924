import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgSchema, type PgTestSchema } from '@floe/test-harness';
import type { LedgerRunInit } from '@floe/core';
import { isSyncStateLedger } from '@floe/core';
import { mirroredLedger, openStateStore, parseStateStoreLocation, type KnexDeliveryLedger } from '../src/index.js';

function init(overrides: Partial<LedgerRunInit> = {}): LedgerRunInit {
  return {
    runId: 'run-1',
    runKey: 'k'.repeat(64),
    attemptId: 'run-1',
    destination: 'crm',
    sinkType: 'rest_api',
    target: 'POST http://127.0.0.1/x',
    sourceTable: 'gold.customers',
    snapshotId: '42',
    batchSize: 10,
    disposition: 'append',
    totalRows: 25,
    ...overrides,
  };
}

const batch = (i: number, rows = 10) => ({
  batchIndex: i,
  firstRow: i * 10,
  rowCount: rows,
  idempotencyKey: `key-${i}`,
});

/** The same behaviour from every state store. */
function describeLedger(
  name: string,
  open: () => Promise<{ ledger: KnexDeliveryLedger; reopen: () => KnexDeliveryLedger; done: () => Promise<void> }>,
) {
  describe(`KnexDeliveryLedger (${name})`, () => {
    let ledger: KnexDeliveryLedger;
    let reopen: () => KnexDeliveryLedger;
    let done: () => Promise<void>;
    beforeEach(async () => {
      ({ ledger, reopen, done } = await open());
    });
    afterEach(async () => {
      await ledger.close();
      await done();
    });

    it('starts a run, records intended and committed batches, and a second attempt finds them', async () => {
      const first = await ledger.begin(init());
      expect(first.resumed).toBe(false);
      expect(first.run).toMatchObject({
        status: 'running',
        attempts: 1,
        batchesTotal: 3,
        batchesCommitted: 0,
        rowsDelivered: 0,
      });
      await ledger.markIntended('run-1', batch(0));
      await ledger.markCommitted('run-1', { ...batch(0), rowsDelivered: 9, rowsRejected: 1 });
      await ledger.markIntended('run-1', batch(1));
      // A repeated intended record keeps the first one.
      await ledger.markIntended('run-1', batch(1));
      await ledger.close();

      ledger = reopen();
      const second = await ledger.begin(init({ attemptId: 'run-2' }));
      expect(second.resumed).toBe(true);
      expect(second.run).toMatchObject({
        attempts: 2,
        lastAttemptId: 'run-2',
        status: 'running',
        batchesCommitted: 1,
        rowsDelivered: 9,
        rowsRejected: 1,
      });
      expect([...second.committed.values()]).toEqual([{ ...batch(0), rowsDelivered: 9, rowsRejected: 1 }]);
      expect([...second.intended.values()]).toEqual([batch(1)]);
      expect(second.partial.size).toBe(0);

      await ledger.markCommitted('run-1', { ...batch(1), rowsDelivered: 10, rowsRejected: 0 });
      await ledger.markIntended('run-1', batch(2, 5));
      await ledger.markCommitted('run-1', { ...batch(2, 5), rowsDelivered: 5, rowsRejected: 0 });
      const finished = await ledger.finish('run-1', 'completed');
      expect(finished).toMatchObject({
        status: 'completed',
        batchesCommitted: 3,
        batchesTotal: 3,
        rowsDelivered: 24,
        rowsRejected: 1,
      });
      expect(finished?.finishedAt).toEqual(expect.any(String));
    });

    it('lists runs newest first, filtered by destination, and tells the latest run of a destination', async () => {
      await ledger.begin(init({ runId: 'a', attemptId: 'a' }));
      await new Promise((resolve) => setTimeout(resolve, 5));
      await ledger.begin(init({ runId: 'b', attemptId: 'b', destination: 'dw' }));
      await new Promise((resolve) => setTimeout(resolve, 5));
      await ledger.begin(init({ runId: 'c', attemptId: 'c' }));
      expect((await ledger.listRuns()).map((run) => run.runId)).toEqual(['c', 'b', 'a']);
      expect((await ledger.listRuns({ destination: 'crm' })).map((run) => run.runId)).toEqual(['c', 'a']);
      expect((await ledger.latestRun('dw'))?.runId).toBe('b');
      expect(await ledger.latestRun('nobody')).toBeUndefined();
    });

    it('refuses to resume a run with another run key', async () => {
      await ledger.begin(init());
      await expect(ledger.begin(init({ runKey: 'x'.repeat(64) }))).rejects.toThrow(
        /cannot be resumed with this configuration/,
      );
    });

    it('keeps a sync run’s change counts and writes a batch’s sync rows as pending with its commit mark', async () => {
      const changes = {
        path: 'full-scan' as const,
        reason: 'first run',
        inserts: 2,
        updates: 0,
        deletes: 0,
        unchanged: 0,
      };
      await ledger.begin(init({ runId: 'sync-1', attemptId: 'sync-1', product: 'prod', changes }));
      expect(isSyncStateLedger(ledger)).toBe(true);
      await ledger.markIntended('sync-1', batch(0, 2));
      await ledger.markCommitted('sync-1', {
        ...batch(0, 2),
        rowsDelivered: 2,
        rowsRejected: 0,
        sync: [
          { key: '1', fingerprint: '00000000000000aa', destinationId: 'crm-1' },
          { key: '2', fingerprint: '00000000000000bb' },
        ],
      });
      expect((await ledger.latestRun('crm', { product: 'prod' }))?.changes).toEqual(changes);
      const scope = { product: 'prod', destination: 'crm' };
      expect((await ledger.sync.lookup(scope, ['1'])).size).toBe(0);
      await ledger.sync.settle(scope, {
        runId: 'sync-1',
        meta: { snapshotId: '42', signature: 'sig', failedFiles: [] },
      });
      const found = await ledger.sync.lookup(scope, ['1', '2']);
      expect(found.get('1')).toEqual({ key: '1', fingerprint: '00000000000000aa', destinationId: 'crm-1' });
      expect((await ledger.sync.meta(scope))?.records).toBe(2);
      // A mirrored ledger answers with the primary's sync state.
      expect(mirroredLedger(ledger, ledger)).toHaveProperty('sync', ledger.sync);
    });

    it('refuses records for an unknown run and any use once closed', async () => {
      await expect(ledger.markIntended('nope', batch(0))).rejects.toThrow(/no run nope/);
      await ledger.close();
      await expect(ledger.listRuns()).rejects.toThrow(/is closed/);
    });
  });
}

describeLedger('SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'floe-ledger-'));
  const file = join(dir, 'nested', 'state.db');
  return {
    ledger: openStateStore(`sqlite:${file}`),
    reopen: () => openStateStore(file),
    done: async () => {
      expect(existsSync(file)).toBe(true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite state store made by an earlier version', () => {
  it('gains the changes column of sync runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floe-ledger-old-'));
    const file = join(dir, 'state.db');
    try {
      const old = openStateStore(file);
      await old.begin(init({ runId: 'old', attemptId: 'old' }));
      await old.close();
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(file);
      db.exec('ALTER TABLE _floe_runs DROP COLUMN changes');
      db.close();
      const store = openStateStore(file);
      const changes = { path: 'incremental' as const, reason: 'r', inserts: 1, updates: 2, deletes: 3, unchanged: 4 };
      await store.begin(init({ runId: 'new', attemptId: 'new', changes }));
      const runs = await store.listRuns();
      expect(runs.map((run) => [run.runId, run.changes])).toEqual([
        ['new', changes],
        ['old', undefined],
      ]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL state store', () => {
  let pg: PgTestSchema;
  beforeAll(async () => {
    pg = await createPgSchema('floe_ledger');
  });
  afterAll(async () => {
    await pg.drop();
  });
  describeLedger('PostgreSQL', async () => {
    const url = `${pg.url}?schema=${pg.schema}`;
    await pg.query(`DROP TABLE IF EXISTS "${pg.schema}"._floe_ledger, "${pg.schema}"._floe_runs`);
    return { ledger: openStateStore(url), reopen: () => openStateStore(url), done: async () => undefined };
  });

  it('keeps its tables in the schema named by ?schema=', async () => {
    const store = openStateStore(`${pg.url}?schema=${pg.schema}`);
    await store.begin(init({ runId: 'in-schema', attemptId: 'in-schema' }));
    await store.close();
    const rows = await pg.query<{ run_id: string }>(
      `SELECT run_id FROM "${pg.schema}"._floe_runs WHERE run_id = 'in-schema'`,
    );
    expect(rows).toEqual([{ run_id: 'in-schema' }]);
  });

  it('creates the schema named by ?schema= when it does not exist', async () => {
    const schema = `${pg.schema}_new`;
    const store = openStateStore(`${pg.url}?schema=${schema}`);
    try {
      expect(await store.listRuns()).toEqual([]);
      await store.begin(init({ runId: 'fresh-schema', attemptId: 'fresh-schema' }));
      expect((await store.latestRun('crm'))?.runId).toBe('fresh-schema');
    } finally {
      await store.close();
      await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  });

  it('retries its operations when its connection is cut mid-statement (as the data path does)', async () => {
    const store = openStateStore(`${pg.url}?schema=${pg.schema}`);
    /** Runs `operation` while its statement waits on a lock, cuts the store's connection, then frees the lock. */
    const cutDuring = async <T>(operation: () => Promise<T>): Promise<T> => {
      const client = await pg.pool.connect();
      await client.query('BEGIN');
      await client.query(`LOCK TABLE "${pg.schema}"._floe_ledger, "${pg.schema}"._floe_runs IN ACCESS EXCLUSIVE MODE`);
      const pending = operation();
      pending.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const cut = await pg.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE application_name = 'floe-state-store' AND state = 'active'`,
      );
      expect(cut[0]?.n).toBeGreaterThanOrEqual(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await client.query('COMMIT');
      client.release();
      return pending;
    };
    try {
      await store.begin(init({ runId: 'cut', attemptId: 'cut' }));
      await cutDuring(() => store.markIntended('cut', batch(0)));
      await cutDuring(() => store.markCommitted('cut', { ...batch(0), rowsDelivered: 10, rowsRejected: 0 }));
      const run = await cutDuring(() => store.finish('cut', 'completed'));
      expect(run).toMatchObject({ status: 'completed', batchesCommitted: 1, rowsDelivered: 10, attempts: 1 });
      const again = await cutDuring(() => store.begin(init({ runId: 'cut-2', attemptId: 'cut-2' })));
      expect(again.resumed).toBe(false);
      expect(again.run.attempts).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('parseStateStoreLocation', () => {
  it('hides the password of a PostgreSQL URL and keeps the schema', () => {
    const parsed = parseStateStoreLocation('postgres://floe:s3cr%40t@db.internal:5432/ops?schema=floe_state');
    expect(parsed).toMatchObject({ kind: 'postgres', schema: 'floe_state', password: 's3cr@t' });
    expect(parsed.display).toBe('postgres://floe@db.internal:5432/ops?schema=floe_state');
    expect(JSON.stringify(parsed.display)).not.toContain('s3cr');
  });

  it('resolves SQLite paths against the base folder and refuses in-memory databases and bad URLs', () => {
    expect(parseStateStoreLocation('sqlite:state.db', '/srv/floe')).toEqual({
      kind: 'sqlite',
      file: '/srv/floe/state.db',
      display: 'sqlite:/srv/floe/state.db',
    });
    expect(parseStateStoreLocation('/abs/state.db', '/srv')).toMatchObject({ file: '/abs/state.db' });
    expect(parseStateStoreLocation('sqlite:///abs/s.db')).toMatchObject({ file: '/abs/s.db' });
    expect(() => parseStateStoreLocation('sqlite::memory:')).toThrow(/needs a file/);
    expect(() => parseStateStoreLocation('postgres://[bad')).toThrow(/not a valid PostgreSQL URL/);
  });
});
