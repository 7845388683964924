import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { deliveryRunKey } from '@floe/delivery';
import type { LedgerRunInit, WriteEvent } from '@floe/core';
import { loadToDestination } from '../../../src/engine/destination/load.js';
import { createSqlDatabaseDestination } from '../../../src/sinks/sql/index.js';
import type { SqlDestinationLedger } from '../../../src/sinks/sql/sql-ledger.js';
import { customers } from './support/arrow-fixtures.js';
import {
  loadOnce,
  mysqlDatabase,
  postgresDatabase,
  sqliteDatabase,
  sqlSinkConfig,
  type SqlTestDatabase,
} from './support/sql-sink.js';

const ROWS = 10_000;

function init(table: string, runId: string, disposition: string): LedgerRunInit {
  const shape = { destination: 'warehouse', sourceTable: 't', snapshotId: '7', batchSize: ROWS, disposition };
  return {
    ...shape,
    runId,
    runKey: deliveryRunKey({ ...shape, identity: table }),
    attemptId: runId,
    sinkType: 'sql_database',
    target: table,
    totalRows: ROWS,
  };
}

describe.each([
  ['PostgreSQL', postgresDatabase],
  ['MariaDB', mysqlDatabase],
  ['SQLite', sqliteDatabase],
])('sql_database sink on %s: isolating a batch where most rows are refused', (dialect, open) => {
  let db: SqlTestDatabase;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.drop();
  });

  it.each(['append', 'merge'])(
    '%s: a 10,000-row batch with 75 %% of its rows refused by a CHECK lands every good row and reports every bad one',
    async (disposition) => {
      const name = `checked_${disposition}`;
      const table = db.qualified(name);
      await db.query(
        `CREATE TABLE $schema.${name} (customer_id BIGINT PRIMARY KEY, name TEXT, score DOUBLE PRECISION,
           CONSTRAINT ${name}_quarter CHECK (customer_id % 4 = 0))`,
      );
      const config = { table, write_disposition: disposition, primary_key: ['customer_id'], max_concurrency: 1 };
      const sink = createSqlDatabaseDestination(sqlSinkConfig(db.url, config, { batchSize: ROWS }));
      const runId = `iso-${disposition}`;
      let receipt;
      const events: WriteEvent[] = [];
      try {
        const ledger = sink.ledger as SqlDestinationLedger;
        const state = await ledger.begin(init(table, runId, disposition));
        receipt = await loadToDestination(sink, customers(ROWS), {
          delivery: { ledger, state },
          onEvent: (event) => events.push(event),
        });
        await ledger.finish(runId, 'completed');
      } finally {
        await sink.hooks.close?.();
      }

      const ids = Array.from({ length: ROWS }, (_, i) => i + 1);
      const good = ids.filter((id) => id % 4 === 0);
      const badRows = ids.filter((id) => id % 4 !== 0).map((id) => id - 1);
      expect(receipt.status).toBe('partial');
      expect(receipt.rowsDelivered).toBe(good.length);
      expect(receipt.errors.map((error) => error.row)).toEqual(badRows);
      const reasons = new Set(receipt.errors.map((error) => error.message));
      expect(reasons.size).toBe(1);
      const [reason] = reasons;
      expect(reason).toMatch(new RegExp(`${name}_quarter|CHECK constraint`, 'i'));
      if (dialect === 'PostgreSQL')
        expect(reason).toBe(`new row for relation "${name}" violates check constraint "${name}_quarter" [23514]`);
      expect(receipt.errors.every((error) => error.category === 'PERMANENT')).toBe(true);
      expect(receipt.errors.map((error) => error.key)).toEqual(badRows.map((row) => String(row + 1)));

      const landed = await db.query<{ id: unknown; name: string }>(
        `SELECT customer_id AS id, name FROM $schema.${name} ORDER BY customer_id`,
      );
      expect(landed.map((row) => Number(row.id))).toEqual(good);
      expect(landed.every((row) => row.name === `v1-customer-${Number(row.id)}`)).toBe(true);

      // Recorded with the batch, in its transaction: the ledger record and every refused row with its reason.
      const recorded = await db.query<{ row: unknown; reason: string }>(
        `SELECT source_row AS row, reason FROM $schema._floe_rejects WHERE run_id = '${runId}' ORDER BY source_row`,
      );
      expect(recorded.map((row) => Number(row.row))).toEqual(badRows);
      expect(recorded.every((row) => row.reason === reason)).toBe(true);
      const record = await db.query<{
        state: string;
        rows_done: unknown;
        rows_delivered: unknown;
        rows_rejected: unknown;
      }>(`SELECT state, rows_done, rows_delivered, rows_rejected FROM $schema._floe_ledger WHERE run_id = '${runId}'`);
      expect(
        record.map((row) => [row.state, Number(row.rows_done), Number(row.rows_delivered), Number(row.rows_rejected)]),
      ).toEqual([['committed', ROWS, good.length, badRows.length]]);

      // The isolation was told as it went: from 0 to every row checked, never more than 1,000 rows apart,
      // the refused rows counted as they were found — the last count is the receipt's.
      const isolating = events.flatMap((event) => (event.kind === 'isolating' ? [event] : []));
      expect(isolating[0]).toEqual({
        kind: 'isolating',
        batchIndex: 0,
        rowsChecked: 0,
        rowsTotal: ROWS,
        rejectedSoFar: 0,
      });
      expect(isolating.at(-1)).toEqual({
        kind: 'isolating',
        batchIndex: 0,
        rowsChecked: ROWS,
        rowsTotal: ROWS,
        rejectedSoFar: badRows.length,
      });
      expect(isolating.length).toBeGreaterThanOrEqual(ROWS / 1_000 + 1);
      isolating.slice(1).forEach((event, i) => {
        const before = isolating[i] as typeof event;
        expect(event.rowsChecked - before.rowsChecked).toBeGreaterThan(0);
        expect(event.rowsChecked - before.rowsChecked).toBeLessThanOrEqual(1_000);
        expect(event.rejectedSoFar).toBeGreaterThanOrEqual(before.rejectedSoFar);
        expect(event.rejectedSoFar).toBeLessThanOrEqual(event.rowsChecked);
        // 3 of every 4 rows are refused: the count is the rows checked so far that break the CHECK
        expect(event.rejectedSoFar).toBe(event.rowsChecked - Math.floor(event.rowsChecked / 4));
      });
    },
  );
});

describe('sql_database sink on PostgreSQL: isolating rows a staging table cannot take either', () => {
  let db: SqlTestDatabase;
  beforeAll(async () => {
    db = await postgresDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('falls back to splitting when a value does not even convert (too long for its column), still isolating every row', async () => {
    await db.query(
      `CREATE TABLE $schema.narrow (customer_id BIGINT PRIMARY KEY, name VARCHAR(14), score DOUBLE PRECISION,
         CHECK (customer_id % 4 = 0))`,
    );
    const receipt = await loadOnce(db.url, { table: db.qualified('narrow') }, customers(120));
    // 'v1-customer-100' and longer do not fit VARCHAR(14); of the others, 3 in 4 break the CHECK.
    const fits = (id: number): boolean => id < 100 && id % 4 === 0;
    const ids = Array.from({ length: 120 }, (_, i) => i + 1);
    expect(receipt.rowsDelivered).toBe(ids.filter(fits).length);
    expect(receipt.errors.map((error) => error.row)).toEqual(ids.filter((id) => !fits(id)).map((id) => id - 1));
    expect(receipt.errors.find((error) => error.row === 99)?.message).toMatch(/too long.*\[22001\]/);
    expect(receipt.errors.find((error) => error.row === 98)?.message).toMatch(/check constraint.*\[23514\]/);
    const landed = await db.query<{ id: string }>(
      `SELECT customer_id::text AS id FROM $schema.narrow ORDER BY customer_id`,
    );
    expect(landed.map((row) => Number(row.id))).toEqual(ids.filter(fits));
  });
});
