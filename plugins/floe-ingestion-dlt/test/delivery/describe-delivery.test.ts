import { describe, expect, it } from '@jest/globals';
import { SinkConfig, isResumableSinkConnector } from '@floe/core';
import { deliveryRunKey, runKeyOf } from '@floe/delivery';
import { DltIngestionPlugin, type DltSink } from '../../src/index.js';

describe('DltIngestionPlugin.describeDelivery', () => {
  it("gives the run key's parts (identity, batch size) and a SQL sink's own ledger", async () => {
    const dlt = new DltIngestionPlugin();
    expect(isResumableSinkConnector(dlt)).toBe(true);
    const parts = { sourceTable: 'gold.c', snapshotId: '42', disposition: 'append' };
    const sinkRunKey = (sink: DltSink, p: typeof parts) =>
      runKeyOf({
        destination: sink.name,
        sinkType: sink.sinkType,
        target: '',
        totalRows: 0,
        ...p,
        ...(sink.config.fieldMapping !== undefined && { fieldMapping: sink.config.fieldMapping }),
        description: dlt.describeDelivery(sink, p),
      });
    const sinkLedger = (sink: DltSink) => dlt.describeDelivery(sink, parts).ledger;
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
      expect(dlt.describeDelivery(rest, parts)).toMatchObject({ batchSize: 50, idempotent: true });

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
      expect(dlt.describeDelivery(await sql('append'), parts).idempotent).toBe(true);
    } finally {
      await dlt.shutdown();
    }
  });
});
