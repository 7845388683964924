import { it, expect, beforeAll, afterAll } from '@jest/globals';
import { createHash } from 'node:crypto';
import { Int32, Utf8 } from 'apache-arrow';
import type { RecordBatch, Table } from 'apache-arrow';
import type { EgressResult } from '@floe/core';
import { loadToDestination } from '../../../../src/engine/destination/load.js';
import { digestBatch } from '../../../../src/internal/arrow/digest-batch.js';
import type { LedgerRunInit } from '@floe/core';
import { deliveryRunKey } from '@floe/delivery';
import { createSqlDatabaseDestination } from '../../../../src/sinks/sql/index.js';
import type { SqlDestinationLedger } from '../../../../src/sinks/sql/sql-ledger.js';
import { built, int64, tableOf } from './arrow-fixtures.js';
import { sqlSinkConfig, type SqlTestDatabase } from './sql-sink.js';

function people(ids: readonly number[]): Table {
  return tableOf({
    customer_id: int64(ids.map((id) => BigInt(id))),
    name: built(
      ids.map((id) => `n${id}`),
      new Utf8(),
    ),
  });
}

function init(
  table: string,
  runId: string,
  attemptId: string,
  totalRows: number,
  disposition = 'append',
): LedgerRunInit {
  return {
    runId,
    runKey: deliveryRunKey({
      destination: 'warehouse',
      identity: table,
      sourceTable: 't',
      snapshotId: '7',
      batchSize: 4,
      disposition,
    }),
    attemptId,
    destination: 'warehouse',
    sinkType: 'sql_database',
    target: table,
    sourceTable: 't',
    snapshotId: '7',
    batchSize: 4,
    disposition,
    totalRows,
  };
}

/**
 * Loads through a fresh sink with its own ledger; `stopAfter` batches acknowledged, the load is aborted.
 * One batch at a time unless `config.max_concurrency` says otherwise, so the stop point is exact.
 */
async function attempt(
  db: SqlTestDatabase,
  config: Record<string, unknown>,
  data: Table,
  run: LedgerRunInit,
  stopAfter?: number,
): Promise<{ receipt: EgressResult; resumed: boolean; committedBefore: number[] }> {
  const sink = createSqlDatabaseDestination(sqlSinkConfig(db.url, { max_concurrency: 1, ...config }, { batchSize: 4 }));
  try {
    const ledger = sink.ledger as SqlDestinationLedger;
    expect(ledger.inTransaction).toBe(true);
    const state = await ledger.begin(run);
    const controller = new AbortController();
    const receipt = await loadToDestination(sink, data, {
      delivery: { ledger, state },
      signal: controller.signal,
      onProgress: (progress) => {
        if (stopAfter !== undefined && progress.batchesCompleted >= stopAfter) controller.abort(new Error('stop'));
      },
    });
    await ledger.finish(run.runId, receipt.status === 'failed' ? 'interrupted' : 'completed');
    return { receipt, resumed: state.resumed, committedBefore: [...state.committed.keys()].sort() };
  } finally {
    await sink.hooks.close?.();
  }
}

/**
 * The delivery ledger a `sql_database` destination keeps in its own database, on every dialect: batch
 * records written in the batch's transaction, resume after committed batches, half-written batches.
 */
export function sqlLedgerSuite(open: () => Promise<SqlTestDatabase>): void {
  let db: SqlTestDatabase;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.drop();
  });
  const ids = async (table: string): Promise<number[]> =>
    (await db.query<{ customer_id: unknown }>(`SELECT customer_id FROM $schema.${table} ORDER BY customer_id`)).map(
      (row) => Number(row.customer_id),
    );

  it('writes each batch record in its transaction and resumes after the committed batches, with no row twice', async () => {
    const table = db.qualified('ledgered');
    const data = people([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const first = await attempt(db, { table }, data, init(table, 'r1', 'r1', 10), 2);
    expect(first.receipt.status).toBe('failed');
    expect(first.receipt.rowsDelivered).toBe(8);
    const records = await db.query<{ batch_index: unknown; state: string; rows_delivered: unknown; run_key: string }>(
      `SELECT batch_index, state, rows_delivered, run_key FROM $schema._floe_ledger WHERE run_id = 'r1' ORDER BY batch_index`,
    );
    expect(records.map((row) => [Number(row.batch_index), row.state, Number(row.rows_delivered)])).toEqual([
      [0, 'committed', 4],
      [1, 'committed', 4],
    ]);
    expect(await ids('ledgered')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    const second = await attempt(db, { table }, data, init(table, 'r1', 'r2', 10));
    expect(second.resumed).toBe(true);
    expect(second.committedBefore).toEqual([0, 1]);
    expect(second.receipt).toMatchObject({ status: 'delivered', rowsDelivered: 2 });
    expect(await ids('ledgered')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const runs = await db.query<{ status: string; attempts: unknown }>(
      `SELECT status, attempts FROM $schema._floe_runs WHERE run_id = 'r1'`,
    );
    expect(runs.map((row) => [row.status, Number(row.attempts)])).toEqual([['completed', 2]]);
  });

  it('resumes a load stopped with several batches in flight: every row once, whatever committed first', async () => {
    const table = db.qualified('ledgered_concurrent');
    const all = Array.from({ length: 40 }, (_, i) => i + 1);
    const data = people(all);
    // No primary key: a row written twice would show as a duplicate id.
    const config = { table, max_concurrency: db.dialect === 'sqlite' ? 1 : 3 };
    const first = await attempt(db, config, data, init(table, 'c1', 'c1', 40), 2);
    expect(first.receipt.status).toBe('failed');
    const records = await db.query<{ batch_index: unknown }>(
      `SELECT batch_index FROM $schema._floe_ledger WHERE run_id = 'c1' AND state = 'committed' ORDER BY batch_index`,
    );
    const committed = records.map((row) => Number(row.batch_index));
    expect(committed.length * 4).toBe(first.receipt.rowsDelivered);
    expect(first.receipt.rowsDelivered).toBeLessThan(40);

    const second = await attempt(db, config, data, init(table, 'c1', 'c2', 40));
    expect(second.committedBefore).toEqual([...committed].sort());
    expect(second.receipt).toMatchObject({ status: 'delivered', rowsDelivered: 40 - first.receipt.rowsDelivered });
    expect(await ids('ledgered_concurrent')).toEqual(all);
  });

  it('resumes a half-written batch after the rows it got to, and counts refused rows in its record', async () => {
    await db.query(
      `CREATE TABLE $schema.checked_ledger (customer_id BIGINT PRIMARY KEY, label VARCHAR(20) NOT NULL, qty INTEGER CHECK (qty >= 0))`,
    );
    const table = db.qualified('checked_ledger');
    const data = tableOf({
      customer_id: int64(Array.from({ length: 10 }, (_, i) => BigInt(i + 1))),
      label: built(['a', 'b', 'c', 'd', 'e', 'f', 'g', null, 'i', 'j'], new Utf8()),
      qty: built([1, 2, 3, -4, 5, 6, 7, 8, 9, 10], new Int32()),
    });
    const sink = createSqlDatabaseDestination(sqlSinkConfig(db.url, { table }));
    try {
      const ledger = sink.ledger as SqlDestinationLedger;
      const run = { ...init(table, 'h1', 'h1', 10), batchSize: 0 };
      await ledger.begin(run);
      // An earlier attempt wrote rows 1..3 in a transaction of their own, with this record, then died.
      await db.query(
        `INSERT INTO $schema.checked_ledger (customer_id, label, qty) VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 3)`,
      );
      const batch = data.batches[0] as RecordBatch;
      const idempotencyKey = createHash('sha256')
        .update([run.runKey, '0', digestBatch(batch)].join('\u0000'))
        .digest('hex');
      const entry = {
        runId: 'h1',
        runKey: run.runKey,
        snapshotId: '7',
        batchIndex: 0,
        firstRow: 0,
        rowCount: 10,
        idempotencyKey,
        rowsDone: 0,
        rowsDeliveredEarlier: 0,
      };
      await ledger.record(entry, { state: 'partial', rowsDone: 3, rowsDelivered: 3, rowsRejected: 0 });

      const state = await ledger.begin(run);
      expect(state.partial.get(0)).toMatchObject({ rowsDone: 3, rowsDelivered: 3 });
      const receipt = await loadToDestination(sink, data, { delivery: { ledger, state } });
      expect(receipt.rowsDelivered).toBe(5);
      expect(receipt.errors.map((error) => error.row)).toEqual([3, 7]);
      expect(await ids('checked_ledger')).toEqual([1, 2, 3, 5, 6, 7, 9, 10]);
      const record = await db.query<{
        state: string;
        rows_done: unknown;
        rows_delivered: unknown;
        rows_rejected: unknown;
      }>(`SELECT state, rows_done, rows_delivered, rows_rejected FROM $schema._floe_ledger WHERE run_id = 'h1'`);
      expect(
        record.map((row) => [row.state, Number(row.rows_done), Number(row.rows_delivered), Number(row.rows_rejected)]),
      ).toEqual([['committed', 10, 8, 2]]);
      expect(await ledger.finish('h1', 'completed')).toMatchObject({
        rowsDelivered: 8,
        rowsRejected: 2,
        batchesCommitted: 1,
      });
    } finally {
      await sink.hooks.close?.();
    }
  });

  it('merge: refuses a later duplicate of a key from a batch committed by an earlier attempt, as one load would', async () => {
    const config = { table: db.qualified('merged_ledger'), write_disposition: 'merge', primary_key: ['customer_id'] };
    const data = people([1, 2, 3, 4, 5, 6, 7, 8, 1, 9]);
    const run = init(db.qualified('merged_ledger'), 'm1', 'm1', 10, 'merge');
    await attempt(db, config, data, run, 1);
    const second = await attempt(db, config, data, { ...run, attemptId: 'm2' });
    expect(second.committedBefore).toEqual([0]);
    expect(second.receipt.rowsDelivered).toBe(5);
    expect(second.receipt.errors).toEqual([
      expect.objectContaining({
        row: 8,
        message: expect.stringMatching(/duplicate primary key column "customer_id" 1/),
      }),
    ]);
    expect(await ids('merged_ledger')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
}
