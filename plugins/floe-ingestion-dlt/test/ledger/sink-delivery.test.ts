import { describe, expect, it } from '@jest/globals';
import { SinkConfig } from '@floe/core';
import { DltIngestionPlugin, deliveryRunKey, sinkLedger, sinkRunKey } from '../../src/index.js';

describe('sinkRunKey and sinkLedger', () => {
  it("derive the run key from the sink's name, identity, batch size and mapping, and expose a SQL sink's own ledger", async () => {
    const dlt = new DltIngestionPlugin();
    await dlt.startup();
    try {
      const rest = await dlt.createSink(
        new SinkConfig({
          sinkType: 'rest_api',
          name: 'crm',
          batchSize: 50,
          fieldMapping: { b: 'y', a: 'x' },
          connectionConfig: { url: 'http://127.0.0.1:9/x', token: 'secret-tok-1' },
        }),
      );
      const parts = { sourceTable: 'gold.c', snapshotId: '42', disposition: 'append' };
      const key = sinkRunKey(rest, parts);
      expect(key).toBe(
        deliveryRunKey({
          destination: 'crm',
          identity: 'rest_api:POST http://127.0.0.1:9/x',
          batchSize: 50,
          fieldMapping: { a: 'x', b: 'y' },
          ...parts,
        }),
      );
      expect(sinkRunKey(rest, { ...parts, snapshotId: '43' })).not.toBe(key);
      expect(sinkLedger(rest)).toBeUndefined();

      const sql = (disposition: string) =>
        dlt.createSink(
          new SinkConfig({
            sinkType: 'sql_database',
            name: 'dw',
            connectionConfig: {
              url: 'sqlite:/tmp/never-opened.db',
              table: 'items',
              write_disposition: disposition,
              primary_key: ['id'],
            },
          }),
        );
      expect(sinkLedger(await sql('append'))).toMatchObject({
        inTransaction: true,
        location: expect.stringMatching(/_floe_ledger$/),
      });
      expect(sinkLedger(await sql('merge'))?.inTransaction).toBe(true);
      expect(sinkLedger(await sql('replace'))).toBeUndefined();
    } finally {
      await dlt.shutdown();
    }
  });
});
