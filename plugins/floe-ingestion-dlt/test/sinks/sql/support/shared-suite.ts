import { it, expect, beforeAll, afterAll } from '@jest/globals';
import { Float64, Int32, Utf8 } from 'apache-arrow';
import { isSinkConfigurationError } from '../../../../src/errors/index.js';
import { loadToDestination } from '../../../../src/engine/destination/load.js';
import { createSqlDatabaseDestination } from '../../../../src/sinks/sql/index.js';
import { allTypesTable, built, customers, int64, tableOf } from './arrow-fixtures.js';
import { ALL_TYPES_DDL, ALL_TYPES_EXPECTED, normaliseRow, readBackSql } from './expected-values.js';
import { loadOnce, sqlSinkConfig, withBetween, type SqlTestDatabase } from './sql-sink.js';

/**
 * The behaviour every dialect must show (dlt's habit: one suite, run against every destination).
 * Registers `it` blocks in the caller's `describe`.
 */
export function sharedSqlSinkSuite(open: () => Promise<SqlTestDatabase>): void {
  let db: SqlTestDatabase;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.drop();
  });
  const names = async (table: string): Promise<string[]> =>
    (await db.query<{ name: string }>(`SELECT name FROM $schema.${table} ORDER BY customer_id`)).map((row) =>
      String(row.name),
    );

  it('creates the table with each Arrow type mapped to its column type when missing', async () => {
    const receipt = await loadOnce(db.url, { table: db.qualified('all_types'), primary_key: ['id'] }, allTypesTable());
    expect(receipt.errors).toEqual([]);
    expect(receipt.rowsDelivered).toBe(5);
    expect(receipt.destinationRecordIds).toEqual(['1', '2', '3', '4', '5']);
    expect(receipt.bytesTransmitted).toBeGreaterThan(0);
    expect(await db.columnTypes('all_types')).toEqual(ALL_TYPES_DDL[db.dialect]);
  });

  it('round-trips every value exactly (int64 extremes, uint64, decimal(38,10), µs timestamps, binary, nested)', async () => {
    const rows = await db.query<Record<string, unknown>>(readBackSql(db.dialect, '$schema.all_types'));
    expect(rows.map(normaliseRow)).toEqual(ALL_TYPES_EXPECTED);
  });

  it('appends rows and returns the primary keys as record ids', async () => {
    const config = { table: db.qualified('appended'), primary_key: 'customer_id' };
    const first = await loadOnce(db.url, config, customers(50, 1));
    const second = await loadOnce(db.url, config, customers(50, 51), { batchSize: 7 });
    expect([first.rowsDelivered, second.rowsDelivered]).toEqual([50, 50]);
    expect(second.destinationRecordIds).toEqual(Array.from({ length: 50 }, (_, i) => String(51 + i)));
    expect(await names('appended')).toEqual([...Array.from({ length: 100 }, (_, i) => `v1-customer-${i + 1}`)]);
  });

  it('replaces atomically: a reader between batches sees the old full table, afterwards the new one', async () => {
    const config = { table: db.qualified('replaced'), write_disposition: 'replace', primary_key: ['customer_id'] };
    await loadOnce(db.url, config, customers(30, 1, 'old'));
    const seen: string[][] = [];
    const sink = withBetween(createSqlDatabaseDestination(sqlSinkConfig(db.url, config)), async () => {
      seen.push(await names('replaced'));
    });
    try {
      const receipt = await loadToDestination(sink, customers(40, 101, 'new'), { batchSize: 10 });
      expect(receipt.success).toBe(true);
    } finally {
      await sink.hooks.close?.();
    }
    expect(seen).toHaveLength(4);
    for (const view of seen) expect(view).toEqual(Array.from({ length: 30 }, (_, i) => `old-customer-${i + 1}`));
    expect(await names('replaced')).toEqual(Array.from({ length: 40 }, (_, i) => `new-customer-${101 + i}`));
  });

  it('replaces with an empty load by swapping in an empty table, and creates a missing table on replace', async () => {
    const config = { table: db.qualified('emptied'), write_disposition: 'replace' };
    const created = await loadOnce(db.url, config, customers(4));
    expect(created.rowsDelivered).toBe(4);
    const emptied = await loadOnce(db.url, config, customers(0));
    expect(emptied.success).toBe(true);
    expect(await names('emptied')).toEqual([]);
  });

  it('merges: updates the rows whose key exists and inserts the others', async () => {
    const config = { table: db.qualified('merged'), write_disposition: 'merge', primary_key: ['customer_id'] };
    await loadOnce(db.url, config, customers(20, 1, 'v1'));
    const receipt = await loadOnce(db.url, config, customers(20, 11, 'v2'), { batchSize: 6 });
    expect(receipt.success).toBe(true);
    expect(receipt.destinationRecordIds).toEqual(Array.from({ length: 20 }, (_, i) => String(11 + i)));
    const expected = [
      ...Array.from({ length: 10 }, (_, i) => `v1-customer-${i + 1}`),
      ...Array.from({ length: 20 }, (_, i) => `v2-customer-${i + 11}`),
    ];
    expect(await names('merged')).toEqual(expected);
  });

  it('writes max_concurrency batches at once, each in its own transaction, and lands exactly the source rows', async () => {
    // SQLite has one writer: its destination refuses more than 1, so it shows the serial path here.
    const concurrency = db.dialect === 'sqlite' ? 1 : 3;
    const run = async (config: Record<string, unknown>, data: ReturnType<typeof customers>) => {
      const sink = createSqlDatabaseDestination(
        sqlSinkConfig(db.url, { ...config, ...(concurrency > 1 && { max_concurrency: concurrency }) }),
      );
      let inFlight = 0;
      let most = 0;
      const counted = {
        ...sink,
        fn: (async (batch: never, table: never, context: never) => {
          most = Math.max(most, ++inFlight);
          try {
            return await (sink.fn as (b: never, t: never, c: never) => Promise<unknown>)(batch, table, context);
          } finally {
            inFlight--;
          }
        }) as never,
      };
      try {
        return { receipt: await loadToDestination(counted, data, { batchSize: 25 }), most };
      } finally {
        await sink.hooks.close?.();
      }
    };
    const appended = await run({ table: db.qualified('concurrent'), primary_key: 'customer_id' }, customers(400));
    expect(appended.most).toBe(concurrency);
    expect(appended.receipt.rowsDelivered).toBe(400);
    expect(appended.receipt.destinationRecordIds).toEqual(Array.from({ length: 400 }, (_, i) => String(i + 1)));
    expect(await names('concurrent')).toEqual(Array.from({ length: 400 }, (_, i) => `v1-customer-${i + 1}`));

    const merged = await run(
      { table: db.qualified('concurrent'), write_disposition: 'merge', primary_key: ['customer_id'] },
      customers(300, 201, 'v2'),
    );
    expect(merged.most).toBe(concurrency);
    expect(merged.receipt.rowsDelivered).toBe(300);
    expect(await names('concurrent')).toEqual([
      ...Array.from({ length: 200 }, (_, i) => `v1-customer-${i + 1}`),
      ...Array.from({ length: 300 }, (_, i) => `v2-customer-${i + 201}`),
    ]);
  });

  it('rejects null and repeated primary keys of one merge load, writing the first occurrence only', async () => {
    const config = { table: db.qualified('merge_dupes'), write_disposition: 'merge', primary_key: ['customer_id'] };
    const data = tableOf({
      customer_id: int64([1n, 2n, 1n, null, 3n, 2n]),
      name: built(['a', 'b', 'a-again', 'nokey', 'c', 'b-again'], new Utf8()),
    });
    const receipt = await loadOnce(db.url, config, data, { batchSize: 4 });
    expect(receipt.rowsDelivered).toBe(3);
    expect(receipt.errors.map((error) => [error.row, error.key])).toEqual([
      [2, '1'],
      [3, undefined],
      [5, '2'],
    ]);
    expect(receipt.errors[0]?.message).toMatch(/duplicate primary key column "customer_id" 1/);
    expect(receipt.errors[1]?.message).toMatch(/is null/);
    expect(await names('merge_dupes')).toEqual(['a', 'b', 'c']);
  });

  it('adds the columns the data gained as nullable columns', async () => {
    const config = { table: db.qualified('evolving'), primary_key: ['customer_id'] };
    await loadOnce(db.url, config, customers(3, 1));
    const wider = tableOf({
      customer_id: int64([4n]),
      name: built(['four'], new Utf8()),
      score: built([6], new Float64()),
      visits: built([12], new Int32()),
    });
    const receipt = await loadOnce(db.url, config, wider);
    expect(receipt.success).toBe(true);
    expect(Object.keys(await db.columnTypes('evolving')).sort()).toEqual(['customer_id', 'name', 'score', 'visits']);
    const rows = await db.query<{ visits: unknown }>(`SELECT visits FROM $schema.evolving ORDER BY customer_id`);
    expect(rows.map((row) => (row.visits === null ? null : Number(row.visits)))).toEqual([null, null, null, 12]);
  });

  it('refuses an incompatible type change, naming the table, the column and both types', async () => {
    const config = { table: db.qualified('typed'), primary_key: ['customer_id'] };
    await loadOnce(db.url, config, customers(2, 1));
    const changed = tableOf({ customer_id: int64([9n]), name: built([1.5], new Float64()) });
    const receipt = await loadOnce(db.url, config, changed);
    expect(receipt.success).toBe(false);
    expect(receipt.rowsDelivered).toBe(0);
    expect(receipt.errors[0]?.category).toBe('CONFIGURATION');
    expect(receipt.errors[0]?.message).toMatch(
      /incompatible type change in table \S*typed, column name: existing type \S+.*incoming Float64/,
    );
  });

  it('rejects the rows the database refuses, with their index and reason, while the good rows land', async () => {
    const table = db.qualified('checked');
    await db.query(
      `CREATE TABLE $schema.checked (customer_id BIGINT PRIMARY KEY, label VARCHAR(20) NOT NULL, qty INTEGER CHECK (qty >= 0))`,
    );
    const data = tableOf({
      customer_id: int64(Array.from({ length: 10 }, (_, i) => BigInt(i + 1))),
      label: built(['a', 'b', 'c', 'd', 'e', 'f', 'g', null, 'i', 'j'], new Utf8()),
      qty: built([1, 2, 3, -4, 5, 6, 7, 8, 9, 10], new Int32()),
    });
    const receipt = await loadOnce(db.url, { table }, data);
    expect(receipt.rowsDelivered).toBe(8);
    expect(receipt.errors.map((error) => error.row)).toEqual([3, 7]);
    expect(receipt.errors.every((error) => error.category === 'PERMANENT')).toBe(true);
    const ids = await db.query<{ customer_id: unknown }>(
      `SELECT customer_id FROM $schema.checked ORDER BY customer_id`,
    );
    expect(ids.map((row) => Number(row.customer_id))).toEqual([1, 2, 3, 5, 6, 7, 9, 10]);
  });

  it('validates identifiers before connecting and refuses invalid column names', async () => {
    let thrown: unknown;
    try {
      createSqlDatabaseDestination(sqlSinkConfig(db.url, { table: 'bad-name; DROP TABLE x' }));
    } catch (error) {
      thrown = error;
    }
    expect(isSinkConfigurationError(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/config\.table/);
    // naming: direct keeps source names as they are: one SQL cannot take is refused
    const receipt = await loadOnce(
      db.url,
      { table: db.qualified('named'), naming: 'direct' },
      tableOf({ 'bad name': built(['x'], new Utf8()) }),
    );
    expect(receipt.success).toBe(false);
    expect(receipt.errors[0]?.message).toMatch(/columns\.bad name: column name "bad name" must match/);
  });

  it('names columns snake_case by default (as dlt): "Breed Name" becomes breed_name', async () => {
    const receipt = await loadOnce(
      db.url,
      { table: db.qualified('snaked') },
      tableOf({ 'Breed Name': built(['x'], new Utf8()), customerID: built(['y'], new Utf8()) }),
    );
    expect(receipt.success).toBe(true);
    const rows = await db.query<{ breed_name: unknown; customer_id: unknown }>(
      'SELECT breed_name, customer_id FROM $schema.snaked',
    );
    expect(rows).toEqual([{ breed_name: 'x', customer_id: 'y' }]);
  });

  it('fails clearly when the table is missing and create_table is false', async () => {
    const receipt = await loadOnce(db.url, { table: db.qualified('absent'), create_table: false }, customers(1));
    expect(receipt.success).toBe(false);
    expect(receipt.errors[0]?.message).toMatch(/config\.create_table: is false and table \S*absent does not exist/);
  });
}
