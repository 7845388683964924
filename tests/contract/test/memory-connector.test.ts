import { describe, expect, it } from '@jest/globals';
import { SinkConfig } from '@floe/core';
import { sampleTable } from '../src/index.js';
import { MemoryConnector } from './memory-connector.js';

describe('MemoryConnector', () => {
  it('writes a stream of record batches and reports a local source', async () => {
    const connector = new MemoryConnector();
    const sink = await connector.createSink(new SinkConfig({ sinkType: 'memory' }));
    const receipt = await connector.write(sink, sampleTable().batches, { idempotencyKey: 'fixed' });
    expect(receipt).toMatchObject({ rowsDelivered: 5, idempotencyKey: 'fixed' });
    expect(connector.getSourceConfig({ warehouse: 'demo' })).toEqual({ kind: 'local', warehouse: 'demo' });
    expect(connector.getSourceConfig({})).toEqual({ kind: 'local', warehouse: '' });
  });
});
