import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  BATCH_SIZE_LIMITS,
  DEFAULT_RETRY_CONFIG,
  EMPTY_CHECKSUM,
  ERROR_CATEGORIES,
  EgressResult,
  FLOE_PLUGIN_API_VERSION,
  IngestionPlugin,
  PLUGIN_TYPES,
  PluginType,
  SINK_CONNECTOR_METHODS,
  SinkConfig,
  SinkConnector,
  isSinkConnector,
} from '@floe/core';
import type { CatalogConfig, EgressData, Sink, SourceConfig, WriteOptions } from '@floe/core';

// Compile-time guards (checked by `pnpm typecheck`): the contract's shape may not drift.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T | undefined => undefined;
assertType<Equal<keyof SinkConnector, 'listAvailableSinks' | 'createSink' | 'write' | 'getSourceConfig'>>();
assertType<Equal<Parameters<SinkConnector['listAvailableSinks']>, []>>();
assertType<Equal<Parameters<SinkConnector['createSink']>, [SinkConfig]>>();
assertType<Equal<Parameters<SinkConnector['write']>, [Sink, EgressData, WriteOptions?]>>();
assertType<Equal<ReturnType<SinkConnector['write']>, Promise<EgressResult>>>();
assertType<Equal<Parameters<SinkConnector['getSourceConfig']>, [CatalogConfig]>>();
assertType<Equal<ReturnType<SinkConnector['getSourceConfig']>, SourceConfig>>();

/** The smallest complete implementation, with the contract's parameter lists. */
class Minimal extends SinkConnector {
  listAvailableSinks(): readonly string[] {
    return ['x'];
  }
  async createSink(config: SinkConfig): Promise<Sink> {
    return { sinkType: config.sinkType, name: config.name, close: async () => {} };
  }
  async write(_sink: Sink, _data: EgressData, _options?: WriteOptions): Promise<EgressResult> {
    throw new Error('not used');
  }
  getSourceConfig(_catalogConfig: CatalogConfig): SourceConfig {
    return { kind: 'local' };
  }
}

describe('SinkConnector stability (FR-001)', () => {
  it('has exactly the four abstract methods, in contract order', () => {
    expect(SINK_CONNECTOR_METHODS).toEqual(['listAvailableSinks', 'createSink', 'write', 'getSourceConfig']);
    expect(Object.isFrozen(SINK_CONNECTOR_METHODS)).toBe(true);
  });

  it('keeps the arities of a minimal implementation', () => {
    const proto = Minimal.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    expect(SINK_CONNECTOR_METHODS.map((m) => proto[m]!.length)).toEqual([0, 1, 3, 1]);
    expect(isSinkConnector(new Minimal())).toBe(true);
  });

  it('is a capability, not a plugin type, and needs no IngestionPlugin (FR-015)', () => {
    expect(Object.values(PluginType)).not.toContain('sink');
    expect(PLUGIN_TYPES).not.toContain('sink');
    expect(new Minimal()).not.toBeInstanceOf(IngestionPlugin);
  });
});

describe('SinkConfig stability (FR-002)', () => {
  it('keeps its field names and defaults', () => {
    const config = new SinkConfig({ sinkType: 'rest_api' });
    expect(Object.keys(config).sort()).toEqual([
      'batchSize',
      'connectionConfig',
      'fieldMapping',
      'name',
      'retryConfig',
      'sinkType',
    ]);
    expect(config).toMatchObject({
      sinkType: 'rest_api',
      name: 'rest_api',
      connectionConfig: {},
      fieldMapping: undefined,
      retryConfig: undefined,
      batchSize: undefined,
    });
    expect(DEFAULT_RETRY_CONFIG).toEqual({ maxAttempts: 5, initialDelayMs: 500, maxDelayMs: 30_000 });
    expect(BATCH_SIZE_LIMITS).toEqual({ min: 1, max: 100_000 });
  });

  it('rejects invalid values when constructed', () => {
    expect(() => new SinkConfig({ sinkType: 'rest_api', batchSize: 0 })).toThrow(/batchSize/);
  });
});

describe('EgressResult stability (FR-003)', () => {
  it('keeps the nine receipt fields, with fresh empty lists', () => {
    const init = {
      success: true,
      rowsDelivered: 0,
      bytesTransmitted: 0,
      durationSeconds: 0,
      checksum: EMPTY_CHECKSUM,
      deliveryTimestamp: '2026-01-01T00:00:00.000Z',
      idempotencyKey: 'k',
    };
    const a = new EgressResult(init);
    const b = new EgressResult(init);
    expect(Object.keys(a).sort()).toEqual([
      'bytesTransmitted',
      'checksum',
      'deliveryTimestamp',
      'destinationRecordIds',
      'durationSeconds',
      'errors',
      'idempotencyKey',
      'rowsDelivered',
      'success',
    ]);
    expect(a.destinationRecordIds).toEqual([]);
    expect(a.errors).not.toBe(b.errors);
    expect(EMPTY_CHECKSUM).toBe(createHash('sha256').update('').digest('hex'));
  });

  it('keeps the error categories and plugin API version', () => {
    expect(ERROR_CATEGORIES).toEqual(['TRANSIENT', 'PERMANENT', 'PARTIAL', 'CONFIGURATION']);
    expect(FLOE_PLUGIN_API_VERSION).toBe('1.0');
  });
});
