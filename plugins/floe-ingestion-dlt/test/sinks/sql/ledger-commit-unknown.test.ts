import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { Utf8, type RecordBatch } from 'apache-arrow';
import knexModule, { type Knex } from 'knex';
import type { BatchContext } from '../../../src/engine/destination/types.js';
import type { LedgerEntry } from '@floe/core';
import { deliveryRunKey } from '@floe/delivery';
import { createRetryPolicy } from '../../../src/engine/retry/index.js';
import { CommitUnknownError } from '../../../src/sinks/sql/dialects/commit-unknown-error.js';
import { createDialect } from '../../../src/sinks/sql/dialects/create-dialect.js';
import type { SqlDialect, WriteRequest } from '../../../src/sinks/sql/dialects/sql-dialect.js';
import { SqlDestinationLedger } from '../../../src/sinks/sql/sql-ledger.js';
import { isRetryableSqlFailure, writeBatch, type BatchWriter } from '../../../src/sinks/sql/write-batch.js';
import { built, int64, tableOf } from './support/arrow-fixtures.js';

const runKey = deliveryRunKey({
  destination: 'w',
  identity: 'sqlite',
  sourceTable: 't',
  snapshotId: null,
  batchSize: 5,
  disposition: 'append',
});

function batch(): RecordBatch {
  const ids = [1, 2, 3, 4, 5];
  return tableOf({
    customer_id: int64(ids.map(BigInt)),
    name: built(
      ids.map((id) => `n${id}`),
      new Utf8(),
    ),
  }).batches[0] as RecordBatch;
}

describe('writeBatch with a delivery ledger when a COMMIT answer is lost', () => {
  let dir: string;
  let knex: Knex;
  let real: SqlDialect;
  let ledger: SqlDestinationLedger;
  const entry: LedgerEntry = {
    runId: 'c1',
    runKey,
    snapshotId: null,
    batchIndex: 0,
    firstRow: 0,
    rowCount: 5,
    idempotencyKey: 'k0',
    rowsDone: 0,
    rowsDeliveredEarlier: 0,
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'floe-commit-'));
    knex = knexModule.knex({
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'd.db') },
      useNullAsDefault: true,
    });
    real = createDialect('sqlite', knex, { mariadbScheme: false });
    await real.connect();
    await real.createTable(
      { schema: undefined, name: 't' },
      [
        { name: 'customer_id', type: 'INTEGER', nullable: false },
        { name: 'name', type: 'TEXT', nullable: true },
      ],
      [],
    );
    ledger = new SqlDestinationLedger(async () => ({ knex, schema: undefined }), 'sqlite test');
    await ledger.begin({
      runId: 'c1',
      runKey,
      attemptId: 'c1',
      destination: 'w',
      sinkType: 'sql_database',
      target: 't',
      sourceTable: 't',
      snapshotId: null,
      batchSize: 5,
      disposition: 'append',
      totalRows: 5,
    });
  });
  afterEach(async () => {
    await knex.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A dialect whose first write loses its COMMIT answer: after committing (`after`) or without committing (`before`). */
  function losing(mode: 'after' | 'before'): SqlDialect {
    let first = true;
    return {
      ...real,
      async write(request: WriteRequest) {
        if (!first) return real.write(request);
        first = false;
        if (mode === 'after') await real.write(request);
        throw new CommitUnknownError(new Error('connection lost during COMMIT'));
      },
    };
  }

  async function write(dialect: SqlDialect, withLedger: boolean): Promise<unknown> {
    const writer: BatchWriter = {
      dialect,
      table: { schema: undefined, name: 't' },
      primaryKey: [],
      merge: undefined,
      policy: createRetryPolicy(
        { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
        { isRetryable: isRetryableSqlFailure },
      ),
      secrets: [],
      columnTypes: new Map(),
      ...(withLedger && { ledger }),
    };
    const context: BatchContext = {
      index: 0,
      firstRow: 0,
      rowCount: 5,
      idempotencyKey: 'k0',
      signal: new AbortController().signal,
      span: trace.getTracer('test').startSpan('batch'),
      addPayload: () => undefined,
      ...(withLedger && { ledger: entry }),
    };
    return writeBatch(writer, batch(), context);
  }

  const count = async (): Promise<number> => Number(((await knex('t').count({ n: '*' })) as { n: number }[])[0]?.n);

  it('does not write again when the record shows the transaction committed', async () => {
    await write(losing('after'), true);
    expect(await count()).toBe(5);
    expect(
      (
        await ledger.begin({
          runId: 'c1',
          runKey,
          attemptId: 'c2',
          destination: 'w',
          sinkType: 'sql_database',
          target: 't',
          sourceTable: 't',
          snapshotId: null,
          batchSize: 5,
          disposition: 'append',
          totalRows: 5,
        })
      ).committed.get(0),
    ).toMatchObject({ rowsDelivered: 5 });
  });

  it('writes again when the record shows it did not', async () => {
    await write(losing('before'), true);
    expect(await count()).toBe(5);
  });

  it('without a ledger, refuses to guess and fails the batch', async () => {
    await expect(write(losing('before'), false)).rejects.toBeInstanceOf(CommitUnknownError);
    expect(await count()).toBe(0);
  });

  it('counts a merge batch whose every answer was lost after its COMMIT as delivered, as the ledger does', async () => {
    await real.createTable(
      { schema: undefined, name: 'm' },
      [
        { name: 'customer_id', type: 'INTEGER', nullable: false },
        { name: 'name', type: 'TEXT', nullable: true },
      ],
      ['customer_id'],
    );
    let writes = 0;
    // A flaky link: every transaction commits, then the connection drops before the answer arrives.
    const flaky: SqlDialect = {
      ...real,
      async write(request: WriteRequest) {
        writes += 1;
        await real.write(request);
        throw Object.assign(new Error('Connection lost: The server closed the connection.'), {
          code: 'PROTOCOL_CONNECTION_LOST',
          fatal: true,
        });
      },
    };
    const writer: BatchWriter = {
      dialect: flaky,
      table: { schema: undefined, name: 'm' },
      primaryKey: ['customer_id'],
      merge: { seen: new Set() },
      policy: createRetryPolicy(
        { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
        { isRetryable: isRetryableSqlFailure },
      ),
      secrets: [],
      columnTypes: new Map(),
      ledger,
    };
    const context: BatchContext = {
      index: 0,
      firstRow: 0,
      rowCount: 5,
      idempotencyKey: 'k0',
      signal: new AbortController().signal,
      span: trace.getTracer('test').startSpan('batch'),
      addPayload: () => undefined,
      ledger: entry,
    };
    const outcome = await writeBatch(writer, batch(), context);
    expect(writes).toBe(3);
    expect(outcome).toEqual({ recordIds: ['1', '2', '3', '4', '5'] });
    expect(Number(((await knex('m').count({ n: '*' })) as { n: number }[])[0]?.n)).toBe(5);
    const state = await ledger.begin({
      runId: 'c1',
      runKey,
      attemptId: 'c2',
      destination: 'w',
      sinkType: 'sql_database',
      target: 'm',
      sourceTable: 't',
      snapshotId: null,
      batchSize: 5,
      disposition: 'merge',
      totalRows: 5,
    });
    expect(state.committed.get(0)).toMatchObject({ rowsDelivered: 5, rowsRejected: 0 });
  });
});
