import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Float64, TimestampNanosecond, Utf8, makeData, makeVector } from 'apache-arrow';
import Database from 'better-sqlite3';
import knexModule from 'knex';
import { SinkConfig } from '@floe/core';
import { loadToDestination } from '../../../src/engine/destination/load.js';
import { createSqlDatabaseDestination } from '../../../src/sinks/sql/index.js';
import { built, customers, int64, tableOf } from './support/arrow-fixtures.js';
import { sharedSqlSinkSuite } from './support/shared-suite.js';
import { loadOnce, sqliteDatabase, type SqlTestDatabase } from './support/sql-sink.js';

describe('sql_database sink on SQLite', () => {
  sharedSqlSinkSuite(sqliteDatabase);
});

describe('sql_database sink on SQLite: specifics', () => {
  let db: SqlTestDatabase;
  beforeAll(async () => {
    db = await sqliteDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('keeps nanosecond timestamps exactly (as ISO text) and refuses NaN, which SQLite would turn into NULL', async () => {
    const nanos = makeVector(
      makeData({
        type: new TimestampNanosecond('UTC'),
        length: 2,
        nullCount: 0,
        data: BigInt64Array.from([1_700_000_000_123_456_789n, 1n]),
      }),
    );
    const data = tableOf({
      customer_id: int64([1n, 2n]),
      at: nanos as never,
      score: built([Number.NaN, Number.POSITIVE_INFINITY], new Float64()),
    });
    const receipt = await loadOnce(db.url, { table: 'nanos' }, data);
    expect(receipt.errors.map((error) => [error.row, error.message])).toEqual([
      [0, 'column "score": NaN cannot be stored in SQLite (it would become NULL)'],
    ]);
    expect(await db.query(`SELECT customer_id, at, score FROM nanos`)).toEqual([
      { customer_id: 2n, at: '1970-01-01T00:00:00.000000001Z', score: Number.POSITIVE_INFINITY },
    ]);
  });

  it('replaces a table and keeps its indexes', async () => {
    await db.query(`CREATE TABLE indexed (customer_id INTEGER PRIMARY KEY, name TEXT, score REAL)`);
    await db.query(`CREATE INDEX indexed_name ON indexed (name)`);
    const receipt = await loadOnce(
      db.url,
      { table: 'indexed', write_disposition: 'replace' },
      customers(5, 100, 'fresh'),
    );
    expect(receipt.success).toBe(true);
    expect(
      await db.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'indexed' ORDER BY name`),
    ).toEqual([{ name: 'indexed_name' }]);
    expect(await db.query(`SELECT count(*) AS n FROM indexed`)).toEqual([{ n: 5n }]);
    expect(await db.query(`SELECT name FROM sqlite_master WHERE name LIKE '%floe%'`)).toEqual([]);
  });

  it('loads into an in-memory database through one kept connection', async () => {
    const sink = createSqlDatabaseDestination(
      new SinkConfig({
        sinkType: 'sql_database',
        connectionConfig: {
          url: 'sqlite::memory:',
          table: 'mem',
          write_disposition: 'merge',
          primary_key: 'customer_id',
        },
      }),
    );
    try {
      await loadToDestination(sink, customers(10));
      const receipt = await loadToDestination(sink, customers(10, 6, 'v2'));
      expect(receipt.destinationRecordIds).toHaveLength(10);
      expect(receipt.success).toBe(true);
    } finally {
      await sink.hooks.close?.();
    }
  });

  it('uses an injected knex instance and leaves it open on close', async () => {
    const file = db.url.replace(/^sqlite:/, '');
    const knex = knexModule.knex({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });
    const sink = createSqlDatabaseDestination(
      new SinkConfig({ sinkType: 'sql_database', connectionConfig: { table: 'injected' } }),
      { knex },
    );
    try {
      const receipt = await loadToDestination(sink, tableOf({ label: built(['x', 'y'], new Utf8()) }));
      expect(receipt.rowsDelivered).toBe(2);
      expect(receipt.destinationRecordIds).toEqual([]);
      await sink.hooks.close?.();
      expect(await knex.raw('SELECT count(*) AS n FROM injected')).toEqual([{ n: 2 }]);
    } finally {
      await knex.destroy();
    }
    const direct = new Database(file, { readonly: true });
    expect(direct.prepare('SELECT label FROM injected ORDER BY label').all()).toEqual([{ label: 'x' }, { label: 'y' }]);
    direct.close();
  });
});
