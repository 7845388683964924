import { describe, expect, it } from '@jest/globals';
import type { Table } from 'apache-arrow';
import {
  EMPTY_CHECKSUM,
  EgressResult,
  IngestionPlugin,
  PluginMetadata,
  SINK_CONNECTOR_METHODS,
  SinkConnector,
  assertSinkConnector,
  isSinkConnector,
  missingSinkConnectorMethods,
} from '../src/index.js';
import type { CatalogConfig, IngestionResult, Sink, SinkConfig, SourceConfig } from '../src/index.js';

const receipt = (): EgressResult =>
  new EgressResult({
    success: true,
    rowsDelivered: 0,
    bytesTransmitted: 0,
    durationSeconds: 0,
    checksum: EMPTY_CHECKSUM,
    deliveryTimestamp: new Date(0),
    idempotencyKey: 'k',
  });

class StandaloneConnector extends SinkConnector {
  listAvailableSinks(): readonly string[] {
    return ['memory'];
  }
  async createSink(config: SinkConfig): Promise<Sink> {
    return { sinkType: config.sinkType, name: config.name, close: async () => {} };
  }
  async write(_sink: Sink, _data: Table): Promise<EgressResult> {
    return receipt();
  }
  getSourceConfig(catalog: CatalogConfig): SourceConfig {
    return { kind: String(catalog.kind ?? 'local') };
  }
}

class PlainIngestion extends IngestionPlugin {
  readonly name: string = 'plain';
  readonly version = '1.0.0';
  readonly floeApiVersion = '1.0';
  readonly description = 'ingestion only';
  readonly isExternal = false;
  async createPipeline(): Promise<unknown> {
    return {};
  }
  async run(): Promise<IngestionResult> {
    return { success: true, rowsLoaded: 0, bytesWritten: 0, durationSeconds: 0, errors: [] };
  }
  getDestinationConfig(): Record<string, unknown> {
    return {};
  }
}

class BothWays extends PlainIngestion implements SinkConnector {
  override readonly name = 'both';
  listAvailableSinks(): readonly string[] {
    return ['rest_api'];
  }
  async createSink(config: SinkConfig): Promise<Sink> {
    return { sinkType: config.sinkType, name: config.name, close: async () => {} };
  }
  async write(): Promise<EgressResult> {
    return receipt();
  }
  getSourceConfig(): SourceConfig {
    return { kind: 'rest' };
  }
}

describe('SinkConnector', () => {
  it('declares exactly the four contract methods', () => {
    expect(SINK_CONNECTOR_METHODS).toEqual(['listAvailableSinks', 'createSink', 'write', 'getSourceConfig']);
    const own = Object.getOwnPropertyNames(StandaloneConnector.prototype).filter((m) => m !== 'constructor');
    expect(own.sort()).toEqual([...SINK_CONNECTOR_METHODS].sort());
  });

  it('is implementable standalone, without PluginMetadata (FR-015)', () => {
    const connector = new StandaloneConnector();
    expect(connector).toBeInstanceOf(SinkConnector);
    expect(connector).not.toBeInstanceOf(PluginMetadata);
    expect(isSinkConnector(connector)).toBe(true);
    expect(connector.getSourceConfig({})).toEqual({ kind: 'local' });
  });

  it('detects `class P extends IngestionPlugin implements SinkConnector` with instanceof (FR-004)', () => {
    const plugin = new BothWays();
    expect(plugin instanceof SinkConnector).toBe(true);
    expect(isSinkConnector(plugin)).toBe(true);
    expect(plugin).toBeInstanceOf(IngestionPlugin);
  });

  it('does not detect a plain IngestionPlugin', () => {
    const plugin = new PlainIngestion();
    expect(plugin instanceof SinkConnector).toBe(false);
    expect(isSinkConnector(plugin)).toBe(false);
    expect(missingSinkConnectorMethods(plugin)).toEqual([...SINK_CONNECTOR_METHODS]);
  });

  it('keeps ordinary instanceof for subclasses', () => {
    expect(new BothWays() instanceof StandaloneConnector).toBe(false);
    expect(new StandaloneConnector() instanceof StandaloneConnector).toBe(true);
  });

  it('throws a TypeError naming the missing methods when an incomplete subclass is constructed', () => {
    const Incomplete = class extends (SinkConnector as unknown as new () => object) {
      listAvailableSinks(): string[] {
        return [];
      }
    };
    expect(() => new Incomplete()).toThrow(TypeError);
    expect(() => new Incomplete()).toThrow(
      'does not implement SinkConnector: missing createSink, write, getSourceConfig',
    );
  });

  it('rejects non-objects', () => {
    expect(isSinkConnector(null)).toBe(false);
    expect(isSinkConnector('x')).toBe(false);
    expect(missingSinkConnectorMethods(undefined)).toEqual([...SINK_CONNECTOR_METHODS]);
    expect(() => assertSinkConnector(42)).toThrow(
      'value does not implement SinkConnector: missing listAvailableSinks, createSink, write, getSourceConfig',
    );
  });

  it('accepts a duck-typed object with the four methods', () => {
    const duck = {
      listAvailableSinks: () => [],
      createSink: async () => ({}),
      write: async () => receipt(),
      getSourceConfig: () => ({ kind: 'x' }),
    };
    expect(() => assertSinkConnector(duck)).not.toThrow();
    expect(duck instanceof SinkConnector).toBe(true);
  });
});
