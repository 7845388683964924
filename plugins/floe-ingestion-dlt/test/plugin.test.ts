import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { SinkConfig, SinkConnector, isFloeError, isSinkConnector } from '@floe/core';
import { captureSpans, spanText, startHttpTarget, type HttpTarget, type MemorySpans } from '@floe/test-harness';
import { Int32, Utf8, vectorFromArray } from 'apache-arrow';
import DefaultExport, {
  DltIngestionPlugin,
  SINK_TYPE_DESCRIPTORS,
  destination,
  isIngestionError,
  isSinkConfigurationError,
  restApiSink,
  sqlDatabaseSink,
  type SinkTypeEntry,
} from '../src/index.js';
import { tableOf } from './helpers/arrow.js';

const TOKEN = 'plugin-SECRET-token-77';

function contacts(n: number) {
  return tableOf({
    customer_id: vectorFromArray(
      Array.from({ length: n }, (_, i) => i + 1),
      new Int32(),
    ),
    email_address: vectorFromArray(
      Array.from({ length: n }, (_, i) => `c${i + 1}@x.io`),
      new Utf8(),
    ),
  });
}

describe('DltIngestionPlugin', () => {
  let spans: MemorySpans;
  let target: HttpTarget;
  let plugin: DltIngestionPlugin;

  beforeAll(() => {
    spans = captureSpans();
  });
  afterAll(async () => {
    await spans.shutdown();
  });
  beforeEach(async () => {
    spans.reset();
    target = await startHttpTarget((request) => ({
      status: 201,
      body: (request.body as unknown[]).map((_, i) => ({ id: `x${i}` })),
    }));
    plugin = new DltIngestionPlugin();
  });
  afterEach(async () => {
    await plugin.shutdown();
    await target.close();
  });

  it('declares itself and implements SinkConnector', async () => {
    expect(DefaultExport).toBe(DltIngestionPlugin);
    expect(plugin.name).toBe('dlt');
    expect(plugin.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(plugin.floeApiVersion).toBe('1.0');
    expect(plugin.isExternal).toBe(false);
    expect(plugin instanceof SinkConnector).toBe(true);
    expect(isSinkConnector(plugin)).toBe(true);
    expect(SINK_TYPE_DESCRIPTORS.map((d) => d.sinkType)).toEqual(['rest_api', 'sql_database']);
    expect(restApiSink.configSchema).toBeDefined();
    expect(sqlDatabaseSink.sinkType).toBe('sql_database');
  });

  it('refuses every operation before startup, and reports health', async () => {
    expect((await plugin.healthCheck()).state).toBe('unhealthy');
    expect(() => plugin.listAvailableSinks()).toThrow(/before startup/);
    await expect(plugin.createSink(new SinkConfig({ sinkType: 'rest_api' }))).rejects.toThrow(
      /createSink\(\) called before startup/,
    );
    expect(() => plugin.getSourceConfig({ type: 'local', warehouse: '/tmp/w' })).toThrow(/before startup/);
    await plugin.startup();
    await plugin.startup();
    const health = await plugin.healthCheck();
    expect(health.state).toBe('healthy');
    expect(health.details).toEqual({ started: true, openSinks: 0, availableSinks: ['rest_api', 'sql_database'] });
    expect(plugin.listAvailableSinks()).toEqual(['rest_api', 'sql_database']);
  });

  it('says ingestion is not supported instead of pretending', async () => {
    await plugin.startup();
    const error = await plugin
      .createPipeline({ sourceType: 'rest_api', sourceConfig: {}, destinationTable: 'bronze.x' })
      .catch((e: unknown) => e);
    expect(isIngestionError(error) && error.category).toBe('CONFIGURATION');
    await expect(plugin.run({})).rejects.toThrow(/not supported yet/);
    expect(() => plugin.getDestinationConfig({})).toThrow(/not supported yet/);
  });

  it('rejects unknown sink types and invalid configs with paths, before any I/O', async () => {
    await plugin.startup();
    const unknown = await plugin.createSink(new SinkConfig({ sinkType: 'kafka', name: 'k' })).catch((e: unknown) => e);
    expect(isSinkConfigurationError(unknown) && unknown.issues[0]?.path).toBe('sink_type');
    const invalid = await plugin
      .createSink(
        new SinkConfig({ sinkType: 'rest_api', name: 'crm', connectionConfig: { url: 'not a url', token: TOKEN } }),
      )
      .catch((e: unknown) => e);
    expect(isSinkConfigurationError(invalid) && invalid.issues.map((i) => i.path)).toEqual(['config.url']);
    expect(String((invalid as Error).message)).not.toContain(TOKEN);
    expect(target.requests).toHaveLength(0);
  });

  it('writes through a rest_api sink with batchSize and field mapping, tracing every step', async () => {
    await plugin.startup();
    const sink = await plugin.createSink(
      new SinkConfig({
        sinkType: 'rest_api',
        name: 'crm-contacts',
        batchSize: 2,
        fieldMapping: { customer_id: 'id', email_address: 'email' },
        connectionConfig: { url: `${target.url}/v1/contacts`, record_id_path: 'id', token: TOKEN },
      }),
    );
    expect((await plugin.healthCheck()).details.openSinks).toBe(1);
    const progress: number[] = [];
    const receipt = await plugin.write(sink, contacts(5), { onProgress: (p) => progress.push(p.batchesCompleted) });
    expect(target.requests.map((r) => r.body)).toEqual([
      [
        { id: 1, email: 'c1@x.io' },
        { id: 2, email: 'c2@x.io' },
      ],
      [
        { id: 3, email: 'c3@x.io' },
        { id: 4, email: 'c4@x.io' },
      ],
      [{ id: 5, email: 'c5@x.io' }],
    ]);
    expect(progress).toEqual([1, 2, 3]);
    expect(receipt.success).toBe(true);
    expect(receipt.destinationRecordIds).toEqual(['x0', 'x1', 'x0', 'x1', 'x0']);
    const [write] = spans.named('sink.write');
    expect(write?.attributes).toMatchObject({
      'sink.type': 'rest_api',
      'sink.destination': 'crm-contacts',
      'sink.rows_written': 5,
      'sink.status': 'delivered',
    });
    expect(typeof write?.attributes['sink.duration_ms']).toBe('number');
    const batches = spans.named('sink.batch');
    expect(batches).toHaveLength(3);
    for (const batch of batches) {
      expect(batch.parentSpanContext?.spanId).toBe(write?.spanContext().spanId);
      expect(batch.attributes).toMatchObject({ 'sink.type': 'rest_api', 'http.response.status_code': 201 });
    }
    expect(spans.named('sink.create')[0]?.attributes['sink.status']).toBe('ok');
    expect(spanText(spans.spans())).not.toContain(TOKEN);
    await sink.close();
    await sink.close();
    expect((await plugin.healthCheck()).details.openSinks).toBe(0);
    await expect(plugin.write(sink, contacts(1))).rejects.toThrow(/closed or was not created/);
  });

  it('sends everything in one request when the sink has no batchSize, and throws a mapping error before sending', async () => {
    await plugin.startup();
    const sink = await plugin.createSink(
      new SinkConfig({
        sinkType: 'rest_api',
        name: 'all',
        fieldMapping: { nope: 'x' },
        connectionConfig: { url: target.url },
      }),
    );
    const error = await plugin.write(sink, contacts(3)).catch((e: unknown) => e);
    expect(isSinkConfigurationError(error)).toBe(true);
    expect(target.requests).toHaveLength(0);
    expect(spans.named('sink.write')[0]?.attributes).toMatchObject({
      'sink.status': 'error',
      'error.category': 'CONFIGURATION',
    });
    const whole = await plugin.createSink(
      new SinkConfig({ sinkType: 'rest_api', name: 'all', connectionConfig: { url: target.url } }),
    );
    const receipt = await plugin.write(whole, contacts(3));
    expect(target.requests).toHaveLength(1);
    expect(receipt.rowsDelivered).toBe(3);
  });

  it('closes open sinks on shutdown and accepts custom sink types', async () => {
    const closed: string[] = [];
    const custom: SinkTypeEntry = {
      descriptor: { sinkType: 'memory' },
      create: (config) =>
        destination(() => undefined, {
          name: config.name,
          hooks: { close: async () => void closed.push(config.name) },
        }),
    };
    const own = new DltIngestionPlugin({ sinkTypes: new Map([['memory', custom]]) });
    await own.startup();
    const a = await own.createSink(new SinkConfig({ sinkType: 'memory', name: 'a' }));
    await own.createSink(new SinkConfig({ sinkType: 'memory', name: 'b' }));
    expect((await own.write(a, contacts(2))).rowsDelivered).toBe(2);
    await own.shutdown();
    await own.shutdown();
    expect(closed.sort()).toEqual(['a', 'b']);
    expect(() => own.listAvailableSinks()).toThrow(/after shutdown/);
  });

  it('delegates getSourceConfig to the lakehouse reader', async () => {
    await plugin.startup();
    const source = plugin.getSourceConfig({
      type: 'polaris',
      uri: 'http://polaris:8181/api/catalog',
      warehouse: 'gold',
    });
    expect(source.kind).toBe('rest');
    const error = (() => {
      try {
        plugin.getSourceConfig({ type: 'polaris', client_secret: 'inline-SECRET' });
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(isFloeError(error) || error instanceof Error).toBe(true);
    expect(spans.named('sink.get_source_config')).toHaveLength(2);
  });
});
