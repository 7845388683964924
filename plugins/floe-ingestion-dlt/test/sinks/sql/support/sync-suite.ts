import { it, expect, beforeAll, afterAll } from '@jest/globals';
import { createHash } from 'node:crypto';
import { Utf8, type RecordBatch, type Table } from 'apache-arrow';
import {
  isSyncStateLedger,
  type EgressResult,
  type LedgerRunInit,
  type OnDeleteAction,
  type SyncMode,
} from '@floe/core';
import { deliveryRunKey } from '@floe/delivery';
import { loadToDestination } from '../../../../src/engine/destination/load.js';
import { createSqlDatabaseDestination } from '../../../../src/sinks/sql/index.js';
import type { SqlDestinationLedger } from '../../../../src/sinks/sql/sql-ledger.js';
import { built, int64, tableOf } from './arrow-fixtures.js';
import { sqlSinkConfig, type SqlTestDatabase } from './sql-sink.js';

/** One change row: its op, the record's key and (but for a delete) its name. */
interface Change {
  readonly op: 'insert' | 'update' | 'upsert' | 'delete';
  readonly id: number;
  readonly name?: string | null;
}

/** The fingerprint the host would send with a row: 16 hex digits of a hash of its values. */
function fingerprint(id: number, name: string | null | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify([id, name ?? null]))
    .digest('hex')
    .slice(0, 16);
}

/** A change batch as the host hands it over: the data columns plus every bookkeeping column. */
function changes(rows: readonly Change[]): Table {
  return tableOf({
    customer_id: int64(rows.map((row) => BigInt(row.id))),
    name: built(
      rows.map((row) => (row.op === 'delete' ? null : (row.name ?? null))),
      new Utf8(),
    ),
    _floe_op: built(
      rows.map((row) => row.op),
      new Utf8(),
    ),
    _floe_key: built(
      rows.map((row) => String(row.id)),
      new Utf8(),
    ),
    _floe_fp: built(
      rows.map((row) => (row.op === 'delete' ? null : fingerprint(row.id, row.name))),
      new Utf8(),
    ),
    _floe_dest_id: built(
      rows.map(() => null),
      new Utf8(),
    ),
    _floe_file: built(
      rows.map(() => 's3://gold/customers/data/00000-0.parquet'),
      new Utf8(),
    ),
  });
}

/** The pending row a handled change should leave: key, batch, fingerprint (`null` for a delete). */
function pendingOf(rows: readonly Change[], batchIndex: number): [string, number, string | null][] {
  return rows.map((row) => [String(row.id), batchIndex, row.op === 'delete' ? null : fingerprint(row.id, row.name)]);
}

function init(table: string, runId: string, attemptId: string, totalRows: number, mode: SyncMode): LedgerRunInit {
  return {
    runId,
    runKey: deliveryRunKey({
      destination: 'warehouse',
      identity: table,
      sourceTable: 'gold.customers',
      snapshotId: runId,
      batchSize: 3,
      disposition: mode,
    }),
    attemptId,
    destination: 'warehouse',
    product: 'customers',
    sinkType: 'sql_database',
    target: table,
    sourceTable: 'gold.customers',
    snapshotId: runId,
    batchSize: 3,
    disposition: mode,
    totalRows,
  };
}

/** The rows read from a change source: each batch in turn, then (`failAfter`) a failure of the source. */
async function* source(table: Table, batchSize: number, failAfter?: number): AsyncGenerator<RecordBatch> {
  const batch = table.batches[0] as RecordBatch;
  for (let from = 0, index = 0; from < batch.numRows; from += batchSize, index++) {
    if (failAfter !== undefined && index === failAfter) throw new Error('the source failed mid-stream');
    yield batch.slice(from, from + batchSize);
  }
}

/**
 * Sync writes of a `sql_database` destination, on every dialect: change rows applied by their op in each batch's
 * transaction, with the handled rows' pending sync state written in that same transaction.
 */
export function sqlSyncSuite(open: () => Promise<SqlTestDatabase>): void {
  let db: SqlTestDatabase;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.drop();
  });

  /** One attempt of a sync run through a fresh sink: begins (or resumes) the run, writes, finishes it. */
  async function syncRun(
    table: string,
    data: Table,
    run: LedgerRunInit,
    options: {
      mode: SyncMode;
      onDelete?: OnDeleteAction;
      failAfter?: number;
      config?: Record<string, unknown>;
      batchSize?: number;
      primaryKey?: readonly string[];
    },
  ): Promise<{ receipt: EgressResult; ledger: SqlDestinationLedger }> {
    const batchSize = options.batchSize ?? 3;
    const sink = createSqlDatabaseDestination(
      sqlSinkConfig(db.url, { table: db.qualified(table), ...options.config }, { batchSize }),
    );
    try {
      const ledger = sink.ledger as SqlDestinationLedger;
      const state = await ledger.begin(run);
      const receipt = await loadToDestination(sink, source(data, batchSize, options.failAfter), {
        delivery: { ledger, state },
        sync: {
          mode: options.mode,
          primaryKey: options.primaryKey ?? ['customer_id'],
          onDelete: options.onDelete ?? 'delete',
        },
      });
      await ledger.finish(run.runId, receipt.status === 'failed' ? 'interrupted' : 'completed');
      return { receipt, ledger };
    } finally {
      await sink.hooks.close?.();
    }
  }

  const rowsOf = async (table: string, extra = ''): Promise<unknown[][]> =>
    (
      await db.query<Record<string, unknown>>(
        `SELECT customer_id, name${extra === '' ? '' : `, ${extra}`} FROM $schema.${table} ORDER BY customer_id`,
      )
    ).map((row) => [Number(row.customer_id), row.name, ...(extra === '' ? [] : [row[extra]])]);

  const pending = async (runId: string): Promise<[string, number, string | null][]> =>
    (
      await db.query<{ k: unknown; batch_index: unknown; fp: unknown }>(
        `SELECT k, batch_index, fp FROM $schema._floe_sync_pending WHERE run_id = '${runId}'`,
      )
    )
      .map((row): [string, number, string | null] => [
        Buffer.isBuffer(row.k) ? row.k.toString('utf8') : String(row.k),
        Number(row.batch_index),
        row.fp === null ? null : Buffer.from(row.fp as Uint8Array).toString('hex'),
      ])
      .sort((a, b) => Number(a[0]) - Number(b[0]));

  const columnsOf = async (table: string): Promise<string[]> => Object.keys(await db.columnTypes(table)).sort();

  it('upsert and mirror: applies upserts and deletes by key, and records exactly the handled rows as pending', async () => {
    const seed: Change[] = [1, 2, 3, 4, 5].map((id) => ({ op: 'upsert', id, name: `n${id}` }));
    const first = await syncRun('synced', changes(seed), init('synced', 's1', 's1', 5, 'mirror'), { mode: 'mirror' });
    expect(first.receipt).toMatchObject({ status: 'delivered', rowsDelivered: 5 });
    expect(isSyncStateLedger(first.ledger)).toBe(true);
    expect(await rowsOf('synced')).toEqual([1, 2, 3, 4, 5].map((id) => [id, `n${id}`]));
    expect(await pending('s1')).toEqual([...pendingOf(seed.slice(0, 3), 0), ...pendingOf(seed.slice(3), 1)]);
    // Bookkeeping columns are never table columns.
    expect(await columnsOf('synced')).toEqual(['customer_id', 'name']);

    // Changed rows and a new one, then the deletes in key order; batch 1 mixes an upsert and a delete.
    const second: Change[] = [
      { op: 'upsert', id: 2, name: 'changed-2' },
      { op: 'upsert', id: 6, name: 'n6' },
      { op: 'upsert', id: 4, name: 'changed-4' },
      { op: 'upsert', id: 5, name: 'changed-5' },
      { op: 'delete', id: 1 },
      { op: 'delete', id: 3 },
      { op: 'delete', id: 9 },
    ];
    const run = await syncRun('synced', changes(second), init('synced', 's2', 's2', 7, 'mirror'), { mode: 'mirror' });
    expect(run.receipt).toMatchObject({ status: 'delivered', rowsDelivered: 7, rowsSkipped: 0 });
    expect(await rowsOf('synced')).toEqual([
      [2, 'changed-2'],
      [4, 'changed-4'],
      [5, 'changed-5'],
      [6, 'n6'],
    ]);
    expect(await pending('s2')).toEqual(
      [...pendingOf(second.slice(0, 3), 0), ...pendingOf(second.slice(3, 6), 1), ...pendingOf(second.slice(6), 2)].sort(
        (a, b) => Number(a[0]) - Number(b[0]),
      ),
    );
    expect(await columnsOf('synced')).toEqual(['customer_id', 'name']);
  });

  it('update: writes records that exist only; a missing one is skipped, counted and still recorded', async () => {
    const seed: Change[] = [1, 2, 3].map((id) => ({ op: 'insert', id, name: `n${id}` }));
    await syncRun('updated', changes(seed), init('updated', 'u1', 'u1', 3, 'insert'), { mode: 'insert' });
    await db.query(`DELETE FROM $schema.updated WHERE customer_id = 2`);
    const updates: Change[] = [
      { op: 'update', id: 1, name: 'changed-1' },
      { op: 'update', id: 2, name: 'gone-2' },
      // The same values again: a match, not a skip.
      { op: 'update', id: 3, name: 'n3' },
    ];
    const { receipt } = await syncRun('updated', changes(updates), init('updated', 'u2', 'u2', 3, 'update'), {
      mode: 'update',
    });
    expect(receipt).toMatchObject({ status: 'delivered', rowsDelivered: 2, rowsSkipped: 1 });
    expect(receipt.errors).toEqual([]);
    expect(await rowsOf('updated')).toEqual([
      [1, 'changed-1'],
      [3, 'n3'],
    ]);
    expect(await pending('u2')).toEqual(pendingOf(updates, 0));
  });

  it('mirror with archive: a deleted record gets its deletion time in soft_delete_column, and loses it when it comes back', async () => {
    const config = { soft_delete_column: 'deleted_at' };
    const seed: Change[] = [1, 2, 3].map((id) => ({ op: 'upsert', id, name: `n${id}` }));
    await syncRun('archived', changes(seed), init('archived', 'a1', 'a1', 3, 'mirror'), {
      mode: 'mirror',
      onDelete: 'archive',
      config,
    });
    expect(await columnsOf('archived')).toEqual(['customer_id', 'deleted_at', 'name']);
    const before = Date.now();
    const deletes: Change[] = [
      { op: 'upsert', id: 3, name: 'changed-3' },
      { op: 'delete', id: 1 },
      { op: 'delete', id: 2 },
    ];
    const { receipt } = await syncRun('archived', changes(deletes), init('archived', 'a2', 'a2', 3, 'mirror'), {
      mode: 'mirror',
      onDelete: 'archive',
      config,
    });
    const after = Date.now();
    expect(receipt).toMatchObject({ status: 'delivered', rowsDelivered: 3 });
    const rows = await rowsOf('archived', 'deleted_at');
    expect(rows.map(([id, name]) => [id, name])).toEqual([
      [1, 'n1'],
      [2, 'n2'],
      [3, 'changed-3'],
    ]);
    expect(rows[2]?.[2]).toBeNull();
    for (const row of rows.slice(0, 2)) {
      const at = instant(row[2]);
      expect(at).toBeGreaterThanOrEqual(before - 1000);
      expect(at).toBeLessThanOrEqual(after + 1000);
    }
    expect(await pending('a2')).toEqual(pendingOf(deletes, 0).sort((a, b) => Number(a[0]) - Number(b[0])));

    const back: Change[] = [{ op: 'upsert', id: 1, name: 'back-1' }];
    await syncRun('archived', changes(back), init('archived', 'a3', 'a3', 1, 'mirror'), {
      mode: 'mirror',
      onDelete: 'archive',
      config,
    });
    expect((await rowsOf('archived', 'deleted_at'))[0]).toEqual([1, 'back-1', null]);
  });

  it('a mixed batch with a refused row: the row is isolated and not recorded, the others land and are recorded', async () => {
    const seed: Change[] = [1, 2, 5].map((id) => ({ op: 'insert', id, name: `n${id}` }));
    await syncRun('mixed', changes(seed), init('mixed', 'm1', 'm1', 3, 'insert'), { mode: 'insert' });
    const mixed: Change[] = [
      { op: 'insert', id: 3, name: 'n3' },
      // Already in the table: an insert of it is refused.
      { op: 'insert', id: 1, name: 'again-1' },
      { op: 'upsert', id: 2, name: 'changed-2' },
      { op: 'update', id: 7, name: 'missing-7' },
      { op: 'insert', id: 4, name: 'n4' },
      { op: 'delete', id: 5 },
    ];
    const { receipt } = await syncRun('mixed', changes(mixed), init('mixed', 'm2', 'm2', 6, 'mirror'), {
      mode: 'mirror',
    });
    expect(receipt.status).toBe('partial');
    expect(receipt.rowsDelivered).toBe(4);
    expect(receipt.rowsSkipped).toBe(1);
    expect(receipt.errors).toEqual([expect.objectContaining({ row: 1, batch: 0, key: '1' })]);
    expect(await rowsOf('mixed')).toEqual([
      [1, 'n1'],
      [2, 'changed-2'],
      [3, 'n3'],
      [4, 'n4'],
    ]);
    const handled = mixed.filter((row) => row.id !== 1);
    expect(await pending('m2')).toEqual(
      [...pendingOf(handled.slice(0, 2), 0), ...pendingOf(handled.slice(2), 1)].sort(
        (a, b) => Number(a[0]) - Number(b[0]),
      ),
    );
    const rejects = await db.query<{ source_row: unknown }>(
      `SELECT source_row FROM $schema._floe_rejects WHERE run_id = 'm2'`,
    );
    expect(rejects.map((row) => Number(row.source_row))).toEqual([1]);
  });

  it('skips and records inside an isolated batch too: a refused row, an update of a missing record, an unchanged update', async () => {
    const seed: Change[] = [1, 2, 3].map((id) => ({ op: 'insert', id, name: `n${id}` }));
    await syncRun('isolated', changes(seed), init('isolated', 'i1', 'i1', 3, 'insert'), { mode: 'insert' });
    const batch: Change[] = [
      { op: 'update', id: 9, name: 'missing-9' },
      // Already in the table: refused.
      { op: 'insert', id: 2, name: 'again-2' },
      // The same values again: a match, not a skip.
      { op: 'update', id: 3, name: 'n3' },
      { op: 'update', id: 1, name: 'changed-1' },
      { op: 'upsert', id: 4, name: 'n4' },
    ];
    const { receipt } = await syncRun('isolated', changes(batch), init('isolated', 'i2', 'i2', 5, 'mirror'), {
      mode: 'mirror',
      batchSize: 10,
    });
    expect(receipt).toMatchObject({ status: 'partial', rowsDelivered: 3, rowsRejected: 1, rowsSkipped: 1 });
    expect(receipt.errors).toEqual([expect.objectContaining({ row: 1, batch: 0, key: '2' })]);
    expect(await rowsOf('isolated')).toEqual([
      [1, 'changed-1'],
      [2, 'n2'],
      [3, 'n3'],
      [4, 'n4'],
    ]);
    expect(await pending('i2')).toEqual(
      pendingOf(
        batch.filter((row) => row.id !== 2),
        0,
      ).sort((a, b) => Number(a[0]) - Number(b[0])),
    );
  });

  it('refuses a key twice in one load, as merge does, and records only the first', async () => {
    const rows: Change[] = [
      { op: 'upsert', id: 1, name: 'first' },
      { op: 'upsert', id: 2, name: 'n2' },
      { op: 'upsert', id: 1, name: 'second' },
    ];
    const { receipt } = await syncRun('twice', changes(rows), init('twice', 't1', 't1', 3, 'upsert'), {
      mode: 'upsert',
    });
    expect(receipt.rowsDelivered).toBe(2);
    expect(receipt.errors).toEqual([
      expect.objectContaining({
        row: 2,
        message: expect.stringMatching(/duplicate primary key column "customer_id" 1/),
      }),
    ]);
    expect(await rowsOf('twice')).toEqual([
      [1, 'first'],
      [2, 'n2'],
    ]);
    expect(await pending('t1')).toEqual(pendingOf(rows.slice(0, 2), 0));
  });

  it('a large mixed change stream: every op in chunked multi-row statements, row for row', async () => {
    const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const seed: Change[] = range(1, 8000).map((id) => ({ op: 'insert', id, name: `n${id}` }));
    await syncRun('large', changes(seed), init('large', 'l1', 'l1', seed.length, 'insert'), {
      mode: 'insert',
      batchSize: 6000,
    });
    const stream: Change[] = [
      ...range(1, 3000).map((id): Change => ({ op: 'update', id, name: `u${id}` })),
      ...range(6001, 8000).map((id): Change => ({ op: 'upsert', id, name: `v${id}` })),
      ...range(8001, 9000).map((id): Change => ({ op: 'insert', id, name: `n${id}` })),
      ...range(3001, 6000).map((id): Change => ({ op: 'delete', id })),
    ];
    const { receipt } = await syncRun('large', changes(stream), init('large', 'l2', 'l2', stream.length, 'mirror'), {
      mode: 'mirror',
      batchSize: 6000,
    });
    expect(receipt).toMatchObject({ status: 'delivered', rowsDelivered: stream.length, rowsSkipped: 0 });
    expect(await rowsOf('large')).toEqual([
      ...range(1, 3000).map((id) => [id, `u${id}`]),
      ...range(6001, 8000).map((id) => [id, `v${id}`]),
      ...range(8001, 9000).map((id) => [id, `n${id}`]),
    ]);
    expect(await pending('l2')).toEqual(
      stream
        .map((row, i): [string, number, string | null] => [
          String(row.id),
          Math.floor(i / 6000),
          row.op === 'delete' ? null : fingerprint(row.id, row.name),
        ])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
    );
  });

  it('a composite key: upserts, updates and deletes match on every key column', async () => {
    const build = (
      rows: readonly (readonly [string, 'upsert' | 'update' | 'delete', string, number, string | null])[],
    ) =>
      tableOf({
        region: built(
          rows.map((row) => row[2]),
          new Utf8(),
        ),
        customer_id: int64(rows.map((row) => BigInt(row[3]))),
        name: built(
          rows.map((row) => row[4]),
          new Utf8(),
        ),
        _floe_op: built(
          rows.map((row) => row[1]),
          new Utf8(),
        ),
        _floe_key: built(
          rows.map((row) => row[0]),
          new Utf8(),
        ),
        _floe_fp: built(
          rows.map((row) => (row[1] === 'delete' ? null : fingerprint(row[3], row[4]))),
          new Utf8(),
        ),
      });
    const options = { mode: 'mirror' as const, primaryKey: ['region', 'customer_id'] };
    await syncRun(
      'composite',
      build([
        ['["EU",1]', 'upsert', 'EU', 1, 'eu-1'],
        ['["US",1]', 'upsert', 'US', 1, 'us-1'],
        ['["EU",2]', 'upsert', 'EU', 2, 'eu-2'],
        ['["US",2]', 'upsert', 'US', 2, 'us-2'],
      ]),
      init('composite', 'k1', 'k1', 4, 'mirror'),
      options,
    );
    const { receipt } = await syncRun(
      'composite',
      build([
        ['["EU",1]', 'update', 'EU', 1, 'eu-1-changed'],
        ['["US",2]', 'upsert', 'US', 2, 'us-2-changed'],
        ['["EU",9]', 'update', 'EU', 9, 'missing'],
        ['["US",1]', 'delete', 'US', 1, null],
      ]),
      init('composite', 'k2', 'k2', 4, 'mirror'),
      options,
    );
    expect(receipt).toMatchObject({ status: 'delivered', rowsDelivered: 3, rowsSkipped: 1 });
    const rows = await db.query<{ region: string; customer_id: unknown; name: string }>(
      `SELECT region, customer_id, name FROM $schema.composite ORDER BY region, customer_id`,
    );
    expect(rows.map((row) => [row.region, Number(row.customer_id), row.name])).toEqual([
      ['EU', 1, 'eu-1-changed'],
      ['EU', 2, 'eu-2'],
      ['US', 2, 'us-2-changed'],
    ]);
    expect((await pending('k2')).map(([key, , fp]) => [key, fp === null]).sort()).toEqual([
      ['["EU",1]', false],
      ['["EU",9]', false],
      ['["US",1]', true],
      ['["US",2]', false],
    ]);
  });

  it('append and replace: inserts only; replace swaps in a table holding exactly the rows sent', async () => {
    const rows: Change[] = [1, 2, 3, 4].map((id) => ({ op: 'insert', id, name: `n${id}` }));
    await syncRun('appended', changes(rows), init('appended', 'p1', 'p1', 4, 'append'), {
      mode: 'append',
      primaryKey: [],
    });
    await syncRun('appended', changes(rows.slice(0, 2)), init('appended', 'p2', 'p2', 2, 'append'), {
      mode: 'append',
      primaryKey: [],
    });
    expect(await rowsOf('appended')).toEqual([1, 1, 2, 2, 3, 4].map((id) => [id, `n${id}`]));
    expect(await columnsOf('appended')).toEqual(['customer_id', 'name']);
    expect((await pending('p2')).map(([key]) => key)).toEqual(['1', '2']);

    await syncRun('replaced', changes(rows), init('replaced', 'r1', 'r1', 4, 'replace'), {
      mode: 'replace',
      primaryKey: [],
    });
    const { receipt } = await syncRun('replaced', changes(rows.slice(2)), init('replaced', 'r2', 'r2', 2, 'replace'), {
      mode: 'replace',
      primaryKey: [],
    });
    expect(receipt).toMatchObject({ status: 'delivered', rowsDelivered: 2 });
    expect(await rowsOf('replaced')).toEqual([3, 4].map((id) => [id, `n${id}`]));
    // A replace commits at its swap: no batch records (an interrupted replace starts over), no pending state.
    const records = await db.query(`SELECT batch_index FROM $schema._floe_ledger WHERE run_id = 'r2'`);
    expect(records).toEqual([]);
    expect(await pending('r2')).toEqual([]);
  });

  it('a run that fails after batch 1 leaves pending rows of its committed batch only; the resumed run records the rest', async () => {
    const rows: Change[] = [1, 2, 3, 4, 5, 6, 7].map((id) => ({ op: 'upsert', id, name: `n${id}` }));
    const run = init('crashed', 'c1', 'c1', 7, 'upsert');
    const first = await syncRun('crashed', changes(rows), run, { mode: 'upsert', failAfter: 1 });
    expect(first.receipt.status).toBe('failed');
    expect(first.receipt.rowsDelivered).toBe(3);
    expect(await rowsOf('crashed')).toEqual([1, 2, 3].map((id) => [id, `n${id}`]));
    expect(await pending('c1')).toEqual(pendingOf(rows.slice(0, 3), 0));

    const second = await syncRun('crashed', changes(rows), { ...run, attemptId: 'c2' }, { mode: 'upsert' });
    expect(second.receipt).toMatchObject({ status: 'delivered', rowsDelivered: 4 });
    expect(await rowsOf('crashed')).toEqual(rows.map((row) => [row.id, row.name]));
    expect(await pending('c1')).toEqual([
      ...pendingOf(rows.slice(0, 3), 0),
      ...pendingOf(rows.slice(3, 6), 1),
      ...pendingOf(rows.slice(6), 2),
    ]);
    // The host settles the run: its pending rows become the state, read through the ledger of a new sink.
    const sink = createSqlDatabaseDestination(sqlSinkConfig(db.url, { table: db.qualified('crashed') }));
    try {
      const { sync } = sink.ledger as SqlDestinationLedger;
      const scope = { product: 'customers', destination: 'warehouse' };
      await sync.settle(scope, { runId: 'c1' });
      const state = await sync.lookup(scope, ['1', '7', '8']);
      expect([...state.keys()].sort()).toEqual(['1', '7']);
      expect(state.get('7')?.fingerprint).toBe(fingerprint(7, 'n7'));
      expect(await pending('c1')).toEqual([]);
    } finally {
      await sink.hooks.close?.();
    }
  });
}

/** A timestamp as the driver returns it (a Date, or UTC text), in ms since the epoch. */
function instant(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  const text = String(value);
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}
