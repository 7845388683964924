import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexModule, { type Knex } from 'knex';
import { createMysqlDatabase, createPgSchema, type MysqlTestDatabase, type PgTestSchema } from '@floe/test-harness';
import type { SyncScope, SyncStateRecord } from '@floe/core';
import { KnexSyncState } from '../../src/index.js';

const fp = (n: number): string => n.toString(16).padStart(16, '0');

async function all(state: KnexSyncState, scope: SyncScope, pageSize?: number): Promise<SyncStateRecord[]> {
  const records: SyncStateRecord[] = [];
  for await (const page of state.records(scope, pageSize === undefined ? {} : { pageSize })) records.push(...page);
  return records;
}

/** The same behaviour on every database. */
function describeSyncState(name: string, open: () => Promise<{ knex: Knex; schema?: string }>) {
  describe(`KnexSyncState (${name})`, () => {
    let knex: Knex;
    let state: KnexSyncState;
    let n = 0;
    const scope = (): SyncScope => ({ product: 'p', destination: `crm-${n}` });
    beforeAll(async () => {
      const opened = await open();
      knex = opened.knex;
      state = new KnexSyncState(knex, {
        location: name,
        ...(opened.schema !== undefined && { schema: opened.schema }),
      });
      // Idempotent, and safe when two callers race.
      await Promise.all([
        state.ensureTables(),
        new KnexSyncState(knex, {
          location: name,
          ...(opened.schema !== undefined && { schema: opened.schema }),
        }).ensureTables(),
      ]);
      await state.ensureTables();
    });
    afterAll(async () => {
      await knex.destroy();
    });

    it('records pending rows, folds them on settle, and pages the records in key order', async () => {
      n++;
      const s = scope();
      expect(await state.meta(s)).toBeUndefined();
      await state.addPending(s, 'run-1', 0, [
        { key: '"b"', fingerprint: fp(2) },
        { key: '"a"', fingerprint: fp(1), destinationId: 'id-a' },
        { key: '"B"', fingerprint: fp(3) },
        { key: '"a "', fingerprint: fp(4) },
      ]);
      // Pending rows are not the state yet.
      expect((await state.lookup(s, ['"a"'])).size).toBe(0);
      await state.settle(s, {
        runId: 'run-1',
        meta: { snapshotId: '7', tableUuid: 'u-1', signature: 'sig', failedFiles: ['f1'] },
      });
      expect(await state.meta(s)).toMatchObject({
        snapshotId: '7',
        tableUuid: 'u-1',
        signature: 'sig',
        failedFiles: ['f1'],
        records: 4,
      });
      // Exact, case- and space-sensitive keys; byte-wise order.
      expect((await all(state, s, 2)).map((r) => r.key)).toEqual(['"B"', '"a "', '"a"', '"b"']);
      const found = await state.lookup(s, ['"a"', '"A"', '"zz"']);
      expect([...found.values()]).toEqual([{ key: '"a"', fingerprint: fp(1), destinationId: 'id-a' }]);

      // A second run updates, deletes, and rewrites its own key (the last write wins); dest id kept when absent.
      await state.addPending(s, 'run-2', 0, [
        { key: '"a"', fingerprint: fp(10) },
        { key: '"b"', fingerprint: null },
        { key: '"c"', fingerprint: fp(5) },
      ]);
      await state.addPending(s, 'run-2', 1, [{ key: '"c"', fingerprint: fp(6), destinationId: 'id-c' }]);
      // A run being resumed does not fold its own pending rows.
      await state.settle(s, { exceptRunId: 'run-2' });
      expect((await state.lookup(s, ['"c"'])).size).toBe(0);
      await state.settle(s, { exceptRunId: 'run-3' });
      expect(await all(state, s)).toEqual([
        { key: '"B"', fingerprint: fp(3) },
        { key: '"a "', fingerprint: fp(4) },
        { key: '"a"', fingerprint: fp(10), destinationId: 'id-a' },
        { key: '"c"', fingerprint: fp(6), destinationId: 'id-c' },
      ]);
      expect((await state.meta(s))?.records).toBe(4);
      await state.reset(s);
      expect(await state.meta(s)).toBeUndefined();
      expect(await all(state, s)).toEqual([]);
    });

    it('folds the runs of other scopes apart, and older runs first', async () => {
      n++;
      const s = scope();
      const other = { destination: s.destination };
      await state.addPending(s, 'old', 0, [{ key: '1', fingerprint: fp(1) }]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await state.addPending(s, 'new', 0, [{ key: '1', fingerprint: fp(2) }]);
      await state.addPending(other, 'old', 0, [{ key: '1', fingerprint: fp(9) }]);
      await state.settle(s, {});
      expect(await all(state, s)).toEqual([{ key: '1', fingerprint: fp(2) }]);
      expect(await all(state, other)).toEqual([]);
      await state.settle(other, { runId: 'old' });
      expect(await all(state, other)).toEqual([{ key: '1', fingerprint: fp(9) }]);
    });

    it('writes pending rows in the caller’s transaction: a rollback forgets them', async () => {
      n++;
      const s = scope();
      await knex
        .transaction(async (trx) => {
          await state.addPendingIn(trx, s, 'r', 0, [{ key: '1', fingerprint: fp(1) }]);
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      await state.settle(s, {});
      expect(await all(state, s)).toEqual([]);
      await knex.transaction((trx) => state.addPendingIn(trx, s, 'r', 0, [{ key: '1', fingerprint: fp(1) }]));
      await state.settle(s, { runId: 'r' });
      expect(await all(state, s)).toEqual([{ key: '1', fingerprint: fp(1) }]);
    });

    it('looks up and settles more keys than one statement may bind', async () => {
      n++;
      const s = scope();
      const rows = Array.from({ length: 70_000 }, (_, i) => ({ key: String(i), fingerprint: fp(i) }));
      await state.addPending(s, 'big', 0, rows);
      await state.settle(s, { runId: 'big', meta: { snapshotId: null, signature: 's', failedFiles: [] } });
      expect((await state.meta(s))?.records).toBe(70_000);
      const found = await state.lookup(s, rows.map((r) => r.key).concat(['nope']));
      expect(found.size).toBe(70_000);
      expect(found.get('69999')?.fingerprint).toBe(fp(69_999));
      let count = 0;
      let last = '';
      for await (const page of state.records(s, { pageSize: 9_000 })) {
        for (const record of page) {
          if (count > 0) expect(Buffer.compare(Buffer.from(record.key), Buffer.from(last))).toBe(1);
          last = record.key;
          count++;
        }
      }
      expect(count).toBe(70_000);
    });

    it('refuses a fingerprint that is not 16 hex digits', async () => {
      await expect(state.addPending(scope(), 'x', 0, [{ key: '1', fingerprint: 'xyz' }])).rejects.toThrow(
        /not 16 lowercase hex digits/,
      );
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'floe-sync-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeSyncState('SQLite', async () => ({
  knex: knexModule.knex({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'state.db') },
    useNullAsDefault: true,
  }),
}));

let pg: PgTestSchema;
let my: MysqlTestDatabase;
beforeAll(async () => {
  pg = await createPgSchema('floe_sync');
  my = await createMysqlDatabase('floe_sync');
});
afterAll(async () => {
  await pg.drop();
  await my.drop();
});

describeSyncState('PostgreSQL', async () => ({
  knex: knexModule.knex({ client: 'pg', connection: pg.url }),
  schema: pg.schema,
}));

describeSyncState('MariaDB', async () => ({
  knex: knexModule.knex({ client: 'mysql2', connection: my.url }),
}));

describe('KnexSyncState on disk (SQLite)', () => {
  it('keeps a short-key record under 64 bytes', async () => {
    const file = join(dir, 'size.db');
    const knex = knexModule.knex({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });
    try {
      const state = new KnexSyncState(knex, { location: file });
      const s = { destination: 'size' };
      const total = 100_000;
      const rows = Array.from({ length: total }, (_, i) => ({ key: String(1_000_000 + i), fingerprint: fp(i * 7919) }));
      await state.addPending(s, 'r', 0, rows);
      await state.settle(s, { runId: 'r' });
      await knex.raw('VACUUM');
      const measured = (await knex.raw(
        `SELECT sum(pgsize) AS bytes FROM dbstat WHERE name IN ('_floe_sync_state')`,
      )) as { bytes: number }[];
      const perRecord = (measured[0]?.bytes ?? Infinity) / total;
      console.log(`sync state on SQLite: ${perRecord.toFixed(1)} bytes per record (100k records, 7-digit keys)`);
      expect(perRecord).toBeLessThanOrEqual(64);
    } finally {
      await knex.destroy();
    }
  });
});

describe('KnexSyncState read-only', () => {
  it('creates no table or scope, reads the missing state as never synced, and refuses writes', async () => {
    const file = join(dir, 'read-only.db');
    const knex = knexModule.knex({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });
    try {
      const tables = async (): Promise<string[]> =>
        (
          (await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)) as { name: string }[]
        ).map((row) => row.name);
      const reader = new KnexSyncState(knex, { location: file, readOnly: true });
      const s = { destination: 'ro' };
      expect(await reader.meta(s)).toBeUndefined();
      expect(await reader.lookup(s, ['1'])).toEqual(new Map());
      for await (const page of reader.records(s)) expect(page).toEqual([]);
      expect(await tables()).toEqual([]);
      await expect(reader.settle(s, {})).rejects.toThrow(/read-only/);
      await expect(reader.addPending(s, 'r', 0, [{ key: '1', fingerprint: fp(1) }])).rejects.toThrow(/read-only/);
      await expect(reader.reset(s)).rejects.toThrow(/read-only/);

      // Another destination's state exists: this one's scope is still not created, and the other's is read.
      const writer = new KnexSyncState(knex, { location: file });
      await writer.addPending({ destination: 'other' }, 'r', 0, [{ key: '1', fingerprint: fp(1) }]);
      await writer.settle({ destination: 'other' }, { runId: 'r' });
      const later = new KnexSyncState(knex, { location: file, readOnly: true });
      expect(await later.lookup(s, ['1'])).toEqual(new Map());
      expect([...(await later.lookup({ destination: 'other' }, ['1'])).keys()]).toEqual(['1']);
      const scopes = (await knex('_floe_sync_scopes').select('destination')) as { destination: string }[];
      expect(scopes.map((row) => row.destination)).toEqual(['other']);
    } finally {
      await knex.destroy();
    }
  });
});
