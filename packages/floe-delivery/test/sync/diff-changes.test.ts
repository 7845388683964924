import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recordBatch } from './record-batch.js';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexModule, { type Knex } from 'knex';
import { Field, Float64, Int32, Int64, Schema, Utf8, vectorFromArray, type RecordBatch } from 'apache-arrow';
import { createPgSchema, type PgTestSchema } from '@floe/test-harness';
import type { SyncMode, SyncScope } from '@floe/core';
import {
  KnexSyncState,
  diffChanges,
  isDeliveryError,
  syncDeltaOf,
  type DiffInput,
  type DiffResult,
} from '../../src/index.js';

interface Row {
  readonly id: number | null;
  readonly name: string | null;
  readonly amount: number;
}

const schema = new Schema([
  new Field('id', new Int32(), true),
  new Field('name', new Utf8(), true),
  new Field('amount', new Float64(), false),
]);

function batchOf(rows: readonly Row[], order: readonly (keyof Row)[] = ['id', 'name', 'amount']): RecordBatch {
  const vectors = {
    id: vectorFromArray(
      rows.map((r) => r.id),
      new Int32(),
    ),
    name: vectorFromArray(
      rows.map((r) => r.name),
      new Utf8(),
    ),
    amount: vectorFromArray(
      rows.map((r) => r.amount),
      new Float64(),
    ),
  };
  return recordBatch(Object.fromEntries(order.map((name) => [name, vectors[name]])));
}

/** Source rows as files of batches (a file of `batchRows`-row batches each). */
async function* filesOf(files: Readonly<Record<string, readonly Row[]>>, batchRows = 3) {
  for (const [file, rows] of Object.entries(files)) {
    for (let start = 0; start < rows.length; start += batchRows)
      yield { file, batch: batchOf(rows.slice(start, start + batchRows)) };
  }
}

type ChangeRow = Record<string, unknown>;

async function changesOf(diff: DiffResult): Promise<ChangeRow[]> {
  const rows: ChangeRow[] = [];
  for await (const batch of diff.changes()) {
    for (const row of batch.toArray()) rows.push({ ...(row.toJSON() as ChangeRow) });
  }
  return rows;
}

const dir = mkdtempSync(join(tmpdir(), 'floe-diff-'));
let knex: Knex;
let state: KnexSyncState;
let scopes = 0;
beforeAll(async () => {
  knex = knexModule.knex({
    client: 'better-sqlite3',
    connection: { filename: join(dir, 'state.db') },
    useNullAsDefault: true,
  });
  state = new KnexSyncState(knex, { location: 'test' });
  await state.ensureTables();
});
afterAll(async () => {
  await knex.destroy();
  rmSync(dir, { recursive: true, force: true });
});

function freshScope(): SyncScope {
  return { product: 'p', destination: `d${++scopes}` };
}

function input(
  scope: SyncScope,
  mode: SyncMode,
  current: DiffInput['current'],
  extra: Partial<DiffInput> = {},
): DiffInput {
  return {
    scope,
    state: extra.state ?? state,
    mode,
    keyColumns: ['id'],
    valueColumns: ['id', 'name', 'amount'],
    schema,
    current,
    maxDeleteFraction: 0.2,
    spoolDir: dir,
    batchSize: 4,
    ...extra,
  };
}

/** Records the change stream as a connector would (every row handled) and settles the run. */
async function apply(diff: DiffResult, scope: SyncScope, runId: string, store: KnexSyncState = state): Promise<void> {
  let index = 0;
  for await (const batch of diff.changes()) await store.addPending(scope, runId, index++, syncDeltaOf(batch));
  await store.settle(scope, { runId, meta: { snapshotId: runId, signature: 'sig', failedFiles: [] } });
}

async function diffAndApply(
  scope: SyncScope,
  mode: SyncMode,
  files: Record<string, Row[]>,
  runId: string,
  extra: Partial<DiffInput> = {},
) {
  const diff = await diffChanges(input(scope, mode, filesOf(files), extra));
  try {
    const rows = await changesOf(diff);
    await apply(diff, scope, runId, extra.state as KnexSyncState | undefined);
    return { counts: diff.counts, rows, rejected: diff.rejected };
  } finally {
    await diff.close();
  }
}

const rows = (n: number, from = 1): Row[] =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, name: `n${from + i}`, amount: (from + i) * 1.5 }));

describe('diffChanges', () => {
  it('sends every row on the first run, nothing once applied, one update for one changed column', async () => {
    const scope = freshScope();
    const first = await diffAndApply(scope, 'mirror', { a: rows(10) }, 'r1');
    expect(first.counts).toEqual({ inserts: 10, updates: 0, deletes: 0, unchanged: 0 });
    expect(first.rows.map((r) => [r.id, r._floe_op, r._floe_key, r._floe_file])).toEqual(
      rows(10).map((r) => [r.id, 'upsert', String(r.id), 'a']),
    );
    expect(first.rows[0]!._floe_fp).toMatch(/^[0-9a-f]{16}$/);

    const again = await diffAndApply(scope, 'mirror', { a: rows(10) }, 'r2');
    expect(again.counts).toEqual({ inserts: 0, updates: 0, deletes: 0, unchanged: 10 });
    expect(again.rows).toEqual([]);

    const changed = rows(10).map((r) => (r.id === 4 ? { ...r, amount: 99 } : r));
    const third = await diffAndApply(scope, 'mirror', { a: changed }, 'r3');
    expect(third.counts).toEqual({ inserts: 0, updates: 1, deletes: 0, unchanged: 9 });
    expect(third.rows).toEqual([
      {
        id: 4,
        name: 'n4',
        amount: 99,
        _floe_op: 'upsert',
        _floe_key: '4',
        _floe_fp: expect.any(String),
        _floe_dest_id: null,
        _floe_file: 'a',
      },
    ]);
  });

  it('does not see a change when the source columns come in another order', async () => {
    const scope = freshScope();
    await diffAndApply(scope, 'upsert', { a: rows(5) }, 'r1');
    async function* reordered() {
      yield { batch: batchOf(rows(5), ['amount', 'name', 'id']) };
    }
    const diff = await diffChanges(input(scope, 'upsert', reordered()));
    expect(diff.counts).toEqual({ inserts: 0, updates: 0, deletes: 0, unchanged: 5 });
    expect(diff.changeRows).toBe(0);
    await diff.close();
  });

  it('applies each mode: insert sends only new keys, update only changed synced keys, upsert both', async () => {
    const base = rows(4);
    const next = [...base.map((r) => (r.id === 2 ? { ...r, name: 'changed' } : r)), ...rows(2, 5)];
    const expectations: [SyncMode, string[], { inserts: number; updates: number }][] = [
      ['insert', ['5:insert', '6:insert'], { inserts: 2, updates: 0 }],
      ['update', ['2:update'], { inserts: 0, updates: 1 }],
      ['upsert', ['2:upsert', '5:upsert', '6:upsert'], { inserts: 2, updates: 1 }],
    ];
    for (const [mode, ops, counts] of expectations) {
      const scope = freshScope();
      // update mode never inserts: seed its state as an upsert would.
      await diffAndApply(scope, mode === 'update' ? 'upsert' : mode, { a: base }, 'seed');
      const result = await diffAndApply(scope, mode, { a: next }, 'r');
      expect({ mode, ops: result.rows.map((r) => `${r.id}:${r._floe_op}`) }).toEqual({ mode, ops });
      expect(result.counts).toMatchObject({ ...counts, deletes: 0 });
    }
  });

  it('mirror deletes synced keys that left the source, in key order, with key columns and destination ids', async () => {
    const scope = freshScope();
    await diffAndApply(scope, 'mirror', { a: rows(12) }, 'r1');
    await state.addPending(scope, 'ids', 0, [
      { key: '11', fingerprint: (await state.lookup(scope, ['11'])).get('11')!.fingerprint, destinationId: 'crm-11' },
    ]);
    await state.settle(scope, { runId: 'ids' });
    const left = rows(12).filter((r) => r.id !== 11 && r.id !== 3);
    const result = await diffAndApply(scope, 'mirror', { a: left }, 'r2');
    expect(result.counts).toEqual({ inserts: 0, updates: 0, deletes: 2, unchanged: 10 });
    expect(result.rows).toEqual([
      {
        id: 11,
        name: null,
        amount: null,
        _floe_op: 'delete',
        _floe_key: '11',
        _floe_fp: null,
        _floe_dest_id: 'crm-11',
        _floe_file: null,
      },
      {
        id: 3,
        name: null,
        amount: null,
        _floe_op: 'delete',
        _floe_key: '3',
        _floe_fp: null,
        _floe_dest_id: null,
        _floe_file: null,
      },
    ]);
    // Applied: the records are gone from the state.
    expect((await state.lookup(scope, ['3', '11'])).size).toBe(0);
    expect((await state.meta(scope))?.records).toBe(10);
  });

  it('refuses a mass delete (30 % missing with fraction 0.2, or an empty source) unless allowed', async () => {
    const scope = freshScope();
    await diffAndApply(scope, 'mirror', { a: rows(10) }, 'r1');
    const attempt = (files: Record<string, Row[]>, extra: Partial<DiffInput> = {}) =>
      diffChanges(input(scope, 'mirror', filesOf(files), extra));
    const refused = await attempt({ a: rows(7) }).catch((error: unknown) => error);
    expect(isDeliveryError(refused) && refused.code).toBe('MASS_DELETE');
    expect((refused as Error).message).toMatch(
      /delete 3 of 10 synced records \(30\.0 %\).*--allow-mass-delete.*max_delete_fraction/,
    );
    const empty = await attempt({}, { maxDeleteFraction: 1 }).catch((error: unknown) => error);
    expect((empty as Error).message).toMatch(/no rows while 10 records are synced; mirror would delete all 10/);
    // Nothing was left in the spool folder by the refused diffs.
    expect(readdirSync(dir).filter((name) => name.startsWith('floe-sync-diff-'))).toEqual([]);
    const allowed = await attempt({ a: rows(7) }, { allowMassDelete: true });
    expect(allowed.counts.deletes).toBe(3);
    await allowed.close();
    const raised = await attempt({ a: rows(7) }, { maxDeleteFraction: 0.3 });
    expect(raised.counts.deletes).toBe(3);
    await raised.close();
  });

  it('rejects every row of a duplicate key and rows with a null key, naming the other row', async () => {
    const scope = freshScope();
    const source: Row[] = [
      { id: 1, name: 'a', amount: 1 },
      { id: 2, name: 'b', amount: 2 },
      { id: null, name: 'no key', amount: 3 },
      { id: 1, name: 'c', amount: 4 },
      { id: 3, name: 'd', amount: 5 },
    ];
    const result = await diffAndApply(scope, 'upsert', { f1: source.slice(0, 2), f2: source.slice(2) }, 'r1');
    expect(result.rows.map((r) => r.id)).toEqual([2, 3]);
    expect(result.counts).toEqual({ inserts: 2, updates: 0, deletes: 0, unchanged: 0 });
    expect(result.rejected).toEqual([
      {
        values: { id: 1, name: 'a', amount: 1 },
        key: '1',
        row: 0,
        file: 'f1',
        reason: 'duplicate primary key 1: row 3 of f2 has it too',
      },
      {
        values: { id: null, name: 'no key', amount: 3 },
        row: 2,
        file: 'f2',
        reason: 'a primary-key value (id) is null',
      },
      {
        values: { id: 1, name: 'c', amount: 4 },
        key: '1',
        row: 3,
        file: 'f2',
        reason: 'duplicate primary key 1: row 0 of f1 has it too',
      },
    ]);
    // A duplicate key is not deleted by a mirror either: it is still in the source.
    const mirror = await diffChanges(input(scope, 'mirror', filesOf({ f: source }), { allowMassDelete: true }));
    expect(mirror.counts.deletes).toBe(0);
    await mirror.close();
  });

  it('sends unchanged rows too on a full resync', async () => {
    const scope = freshScope();
    await diffAndApply(scope, 'upsert', { a: rows(3) }, 'r1');
    const result = await diffAndApply(scope, 'upsert', { a: rows(3) }, 'r2', { fullResync: true });
    expect(result.counts).toEqual({ inserts: 0, updates: 0, deletes: 0, unchanged: 3 });
    expect(result.rows.map((r) => r._floe_op)).toEqual(['upsert', 'upsert', 'upsert']);
  });

  it('reads the change stream again, the same each time', async () => {
    const scope = freshScope();
    const diff = await diffChanges(input(scope, 'upsert', filesOf({ a: rows(9) })));
    const once = await changesOf(diff);
    expect(once).toHaveLength(9);
    expect(await changesOf(diff)).toEqual(once);
    expect(diff.changeRows).toBe(9);
    await diff.close();
  });

  it('rejects, in an incremental diff, a new row whose key a row of an unread file holds', async () => {
    const scope = freshScope();
    await diffAndApply(scope, 'mirror', { a: rows(4), b: rows(2, 10) }, 'r1');
    // File c is added with key 2, which file a (unchanged, not read) still has.
    const diff = await diffChanges(
      input(scope, 'mirror', filesOf({ c: [{ id: 2, name: 'again', amount: 0 }, ...rows(1, 20)] }), {
        before: filesOf({}),
      }),
    );
    expect(diff.rejected.map((r) => [r.key, r.reason])).toEqual([
      ['2', 'duplicate primary key 2: a row of a data file this incremental diff did not read (unchanged) has it too'],
    ]);
    expect((await changesOf(diff)).map((r) => r.id)).toEqual([20]);
    await diff.close();
  });

  it('finds the same changes by an incremental diff as by a full scan (generated cases)', async () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const seenOps = new Set<string>();
    for (let round = 0; round < 12; round++) {
      // Snapshot 1: files f0..f3 of distinct keys.
      let next = 1;
      const files1: Record<string, Row[]> = {};
      for (let f = 0; f < 4; f++) files1[`f${f}`] = rows(1 + random(6), (next += 10));
      // Snapshot 2: f0 unchanged, f1 removed, f2 rewritten (some rows changed, some dropped), f4 added.
      const rewritten = files1
        .f2!.filter(() => random(4) > 0)
        .map((r) => (random(2) === 0 ? { ...r, amount: r.amount + 1 } : r));
      const added = [
        ...rows(1 + random(4), 500 + round * 10),
        ...(random(2) === 0 ? [{ ...files1.f1![0]!, name: 'moved' }] : []),
      ];
      const files2: Record<string, Row[]> = { f0: files1.f0!, f2x: rewritten, f3: files1.f3!, f4: added };
      for (const mode of ['mirror', 'upsert', 'update', 'insert'] as const) {
        const scope = freshScope();
        await diffAndApply(scope, mode === 'update' ? 'upsert' : mode, files1, 's1');
        const full = await diffChanges(input(scope, mode, filesOf(files2), { allowMassDelete: true }));
        const incremental = await diffChanges(
          input(scope, mode, filesOf({ f2x: rewritten, f4: added }), {
            before: filesOf({ f1: files1.f1!, f2: files1.f2! }),
            allowMassDelete: true,
          }),
        );
        const { unchanged: _u1, ...fullCounts } = full.counts;
        const { unchanged: _u2, ...incrementalCounts } = incremental.counts;
        expect({ round, mode, counts: incrementalCounts }).toEqual({ round, mode, counts: fullCounts });
        const fullRows = await changesOf(full);
        expect({ round, mode, rows: await changesOf(incremental) }).toEqual({ round, mode, rows: fullRows });
        for (const row of fullRows) seenOps.add(`${mode}:${String(row._floe_op)}`);
        expect(incremental.rejected).toEqual([]);
        await full.close();
        await incremental.close();
      }
    }
    // The generated cases exercise every op of every mode.
    expect([...seenOps].sort()).toEqual(
      ['insert:insert', 'mirror:delete', 'mirror:upsert', 'update:update', 'upsert:upsert'].sort(),
    );
  });

  it('keeps 64-bit and composite keys exact, and builds their delete rows', async () => {
    const scope = freshScope();
    const wide = new Schema([
      new Field('id', new Int64(), false),
      new Field('region', new Utf8(), false),
      new Field('v', new Utf8(), true),
    ]);
    const batch = (ids: bigint[]) =>
      recordBatch({
        id: vectorFromArray(ids, new Int64()),
        region: vectorFromArray(
          ids.map(() => 'eu'),
          new Utf8(),
        ),
        v: vectorFromArray(
          ids.map((id) => `v${id}`),
          new Utf8(),
        ),
      });
    const big = [9007199254740993n, 9007199254740994n];
    const base = {
      scope,
      state,
      mode: 'mirror' as const,
      keyColumns: ['id', 'region'],
      valueColumns: ['v'],
      schema: wide,
      maxDeleteFraction: 1,
      spoolDir: dir,
    };
    const first = await diffChanges({
      ...base,
      current: (async function* () {
        yield { batch: batch(big) };
      })(),
    });
    expect((await changesOf(first)).map((r) => r._floe_key)).toEqual([
      '[9007199254740993,"eu"]',
      '[9007199254740994,"eu"]',
    ]);
    await apply(first, scope, 'r1');
    await first.close();
    const second = await diffChanges({
      ...base,
      current: (async function* () {
        yield { batch: batch([big[0]!]) };
      })(),
    });
    const rowsOut = await changesOf(second);
    expect(rowsOut).toEqual([
      {
        id: 9007199254740994n,
        region: 'eu',
        v: null,
        _floe_op: 'delete',
        _floe_key: '[9007199254740994,"eu"]',
        _floe_fp: null,
        _floe_dest_id: null,
        _floe_file: null,
      },
    ]);
    await second.close();
  });
});

describe('diffChanges with the state in PostgreSQL', () => {
  let pg: PgTestSchema;
  let pgKnex: Knex;
  let pgState: KnexSyncState;
  beforeAll(async () => {
    pg = await createPgSchema('floe_diff');
    pgKnex = knexModule.knex({ client: 'pg', connection: pg.url });
    pgState = new KnexSyncState(pgKnex, { location: 'pg', schema: pg.schema });
  });
  afterAll(async () => {
    await pgKnex.destroy();
    await pg.drop();
  });

  it('syncs, finds nothing once applied, then one update and one delete', async () => {
    const scope = freshScope();
    const first = await diffAndApply(scope, 'mirror', { a: rows(20) }, 'r1', { state: pgState });
    expect(first.counts.inserts).toBe(20);
    const again = await diffAndApply(scope, 'mirror', { a: rows(20) }, 'r2', { state: pgState });
    expect(again.counts).toEqual({ inserts: 0, updates: 0, deletes: 0, unchanged: 20 });
    const next = rows(20)
      .filter((r) => r.id !== 7)
      .map((r) => (r.id === 15 ? { ...r, name: 'x' } : r));
    const third = await diffAndApply(scope, 'mirror', { a: next }, 'r3', { state: pgState });
    expect(third.rows.map((r) => `${r.id}:${r._floe_op}`)).toEqual(['15:upsert', '7:delete']);
    expect((await pgState.meta(scope))?.records).toBe(19);
  });
});
