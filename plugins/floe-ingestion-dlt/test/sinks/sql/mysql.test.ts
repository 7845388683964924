import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Float64, Int32, Utf8 } from 'apache-arrow';
import { createMysqlDatabase } from '@floe/test-harness';
import { built, customers, int64, tableOf } from './support/arrow-fixtures.js';
import { sharedSqlSinkSuite } from './support/shared-suite.js';
import { loadOnce, mysqlDatabase, type SqlTestDatabase } from './support/sql-sink.js';

describe('sql_database sink on MariaDB', () => {
  sharedSqlSinkSuite(mysqlDatabase);
});

describe('sql_database sink on MariaDB: failures', () => {
  let db: SqlTestDatabase;
  beforeAll(async () => {
    db = await mysqlDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('refuses NaN and infinities (MariaDB cannot store them) and writes the other rows', async () => {
    const data = tableOf({
      customer_id: int64([1n, 2n, 3n, 4n]),
      score: built([1.5, Number.NaN, Number.NEGATIVE_INFINITY, -0.5], new Float64()),
    });
    const receipt = await loadOnce(db.url, { table: 'floats', primary_key: ['customer_id'] }, data);
    expect(receipt.rowsDelivered).toBe(2);
    expect(receipt.errors.map((error) => [error.row, error.key, error.message])).toEqual([
      [1, '2', 'column "score": NaN cannot be stored in MySQL/MariaDB'],
      [2, '3', 'column "score": -Infinity cannot be stored in MySQL/MariaDB'],
    ]);
    expect(await db.query(`SELECT customer_id, score FROM floats ORDER BY customer_id`)).toEqual([
      { customer_id: '1', score: 1.5 },
      { customer_id: '4', score: -0.5 },
    ]);
  });

  it('uses the row the server names ("at row N") to isolate a value too long for its column', async () => {
    await db.query(`CREATE TABLE labels (customer_id BIGINT PRIMARY KEY, label VARCHAR(5)) DEFAULT CHARSET=utf8mb4`);
    const data = tableOf({ customer_id: int64([1n, 2n, 3n]), label: built(['ok', 'far too long', 'éé'], new Utf8()) });
    const receipt = await loadOnce(db.url, { table: 'labels' }, data);
    expect(receipt.rowsDelivered).toBe(2);
    expect(receipt.errors).toEqual([
      expect.objectContaining({
        row: 1,
        message: expect.stringMatching(/Data too long for column 'label'.*\[errno 1406\]/),
      }),
    ]);
  });

  it('retries a batch whose connection is killed mid-statement and delivers every row exactly once', async () => {
    await db.query(`CREATE TABLE killed (customer_id BIGINT PRIMARY KEY, name LONGTEXT, score DOUBLE)`);
    await db.query(`CREATE TABLE kills (n INT) ENGINE=MyISAM`);
    await db.query(`INSERT INTO kills VALUES (0)`);
    await db.query(`CREATE TRIGGER slow BEFORE INSERT ON killed FOR EACH ROW
      BEGIN IF NEW.customer_id = 150 AND (SELECT n FROM kills) = 0 THEN UPDATE kills SET n = 1; DO SLEEP(5); END IF; END`);
    const watcher = await createMysqlDatabase('floe_watch');
    let killed = 0;
    const hunting = (async () => {
      for (let tries = 0; tries < 200 && killed === 0; tries++) {
        const sleeping = await watcher.query<{ ID: number }>(
          `SELECT ID FROM information_schema.PROCESSLIST WHERE STATE = 'User sleep' AND INFO = 'DO SLEEP(5)'`,
        );
        for (const { ID } of sleeping) {
          await watcher.query(`KILL CONNECTION ${Number(ID)}`);
          killed += 1;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      const receipt = await loadOnce(db.url, { table: 'killed' }, customers(300), { batchSize: 100 });
      await hunting;
      expect(killed).toBe(1);
      expect(receipt.success).toBe(true);
      const rows = await db.query<{ n: string; distinct_ids: string }>(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT customer_id) AS distinct_ids FROM killed`,
      );
      expect(rows).toEqual([{ n: '300', distinct_ids: '300' }]);
    } finally {
      await watcher.drop();
    }
  });

  it('writes composite keys as JSON arrays and upserts on them', async () => {
    const config = { table: 'composite', write_disposition: 'merge', primary_key: ['region', 'customer_id'] };
    const first = tableOf({
      region: built(['EU', 'US'], new Utf8()),
      customer_id: int64([1n, 1n]),
      visits: built([1, 2], new Int32()),
    });
    await loadOnce(db.url, config, first);
    const second = tableOf({
      region: built(['EU', 'eu'], new Utf8()),
      customer_id: int64([1n, 1n]),
      visits: built([10, 20], new Int32()),
    });
    const receipt = await loadOnce(db.url, config, second);
    expect(receipt.destinationRecordIds).toEqual(['["EU",1]', '["eu",1]']);
    expect(await db.query(`SELECT region, customer_id, visits FROM composite ORDER BY region, customer_id`)).toEqual([
      { region: 'EU', customer_id: '1', visits: 10 },
      { region: 'US', customer_id: '1', visits: 2 },
      { region: 'eu', customer_id: '1', visits: 20 },
    ]);
  });
});
