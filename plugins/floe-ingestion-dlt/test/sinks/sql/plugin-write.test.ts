import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { SinkConfig } from '@floe/core';
import { Utf8 } from 'apache-arrow';
import { DltIngestionPlugin } from '../../../src/index.js';
import { built, int64, tableOf } from './support/arrow-fixtures.js';
import { FAST_RETRY, postgresDatabase, type SqlTestDatabase } from './support/sql-sink.js';

describe('DltIngestionPlugin.write to sql_database', () => {
  let db: SqlTestDatabase;
  beforeAll(async () => {
    db = await postgresDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('delivers a Gold table through createSink/write with field mapping, then merges a second write', async () => {
    const dlt = new DltIngestionPlugin();
    await dlt.startup();
    try {
      expect(dlt.listAvailableSinks()).toContain('sql_database');
      const sink = await dlt.createSink(
        new SinkConfig({
          sinkType: 'sql_database',
          name: 'warehouse',
          connectionConfig: {
            url: db.url,
            table: db.qualified('gold_customers'),
            write_disposition: 'merge',
            primary_key: ['customer_id'],
          },
          fieldMapping: { id: 'customer_id', email_address: 'email' },
          retryConfig: FAST_RETRY,
        }),
      );
      const gold = (ids: bigint[], tag: string) =>
        tableOf({
          id: int64(ids),
          email_address: built(
            ids.map((id) => `${tag}${id}@example.com`),
            new Utf8(),
          ),
        });
      const first = await dlt.write(sink, gold([1n, 2n, 3n], 'a'));
      expect(first).toMatchObject({ success: true, rowsDelivered: 3, destinationRecordIds: ['1', '2', '3'] });
      expect(first.bytesTransmitted).toBeGreaterThan(0);
      const second = await dlt.write(sink, gold([3n, 4n], 'b'));
      expect(second.rowsDelivered).toBe(2);
      const rows = await db.query<{ customer_id: string; email: string }>(
        `SELECT customer_id::text, email FROM $schema.gold_customers ORDER BY customer_id`,
      );
      expect(rows.map((row) => `${row.customer_id}:${row.email}`)).toEqual([
        '1:a1@example.com',
        '2:a2@example.com',
        '3:b3@example.com',
        '4:b4@example.com',
      ]);
    } finally {
      await dlt.shutdown();
    }
  });
});
