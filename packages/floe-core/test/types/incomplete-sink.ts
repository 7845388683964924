// Compile-time checks, run by `pnpm typecheck` (this file is in tsconfig.json's `include`).
// Each `@ts-expect-error` must hit an error, or the typecheck fails.
import type { Table } from 'apache-arrow';
import { IngestionPlugin, SinkConnector } from '../../src/index.js';
import type { EgressResult, Sink, SinkConfig } from '../../src/index.js';

// @ts-expect-error -- a SinkConnector lacking write and getSourceConfig does not compile.
export class IncompleteSink extends SinkConnector {
  listAvailableSinks(): readonly string[] {
    return [];
  }
  async createSink(config: SinkConfig): Promise<Sink> {
    return { sinkType: config.sinkType, name: config.name, close: async () => {} };
  }
}

// @ts-expect-error -- `implements SinkConnector` on an ingestion plugin needs all four methods too.
export abstract class HalfEgress extends IngestionPlugin implements SinkConnector {
  listAvailableSinks(): readonly string[] {
    return [];
  }
}

export class CompleteSink extends SinkConnector {
  listAvailableSinks(): readonly string[] {
    return ['x'];
  }
  async createSink(config: SinkConfig): Promise<Sink> {
    return { sinkType: config.sinkType, name: config.name, close: async () => {} };
  }
  async write(_sink: Sink, _data: Table): Promise<EgressResult> {
    throw new Error('not used');
  }
  getSourceConfig(): { kind: string } {
    return { kind: 'local' };
  }
}
