// A small in-memory SinkConnector, written as a third party would: @floe/core's public API only.
import { createHash } from 'node:crypto';
import { EgressResult, ErrorCategory, FloeError, SinkConnector } from '@floe/core';
import type { CatalogConfig, EgressData, Sink, SinkConfig, SourceConfig, WriteOptions } from '@floe/core';
import type { RecordBatch, Table } from 'apache-arrow';

/** Rows per destination name: the "remote system" of the memory sink. */
export type MemoryStore = Map<string, Record<string, unknown>[]>;

interface MemorySink extends Sink {
  readonly config: SinkConfig;
}

function batchesOf(data: EgressData): AsyncIterable<RecordBatch> | Iterable<RecordBatch> {
  return 'batches' in data ? (data as Table).batches : data;
}

export class MemoryConnector extends SinkConnector<MemorySink> {
  constructor(private readonly store: MemoryStore = new Map()) {
    super();
  }

  listAvailableSinks(): readonly string[] {
    return ['memory'];
  }

  async createSink(config: SinkConfig): Promise<MemorySink> {
    if (!this.listAvailableSinks().includes(config.sinkType)) {
      throw new FloeError(`unknown sink type "${config.sinkType}" (available: memory)`, 'SINK_CONFIG', {
        category: ErrorCategory.CONFIGURATION,
      });
    }
    return { sinkType: config.sinkType, name: config.name, config, close: async () => {} };
  }

  async write(sink: MemorySink, data: EgressData, options: WriteOptions = {}): Promise<EgressResult> {
    const started = performance.now();
    options.signal?.throwIfAborted();
    const rows: Record<string, unknown>[] = [];
    for await (const batch of batchesOf(data)) {
      for (const row of batch.toArray())
        rows.push(this.#map(sink.config, (row as { toJSON(): Record<string, unknown> }).toJSON()));
    }
    const payload = JSON.stringify(rows);
    const checksum = createHash('sha256').update(payload).digest('hex');
    const stored = this.store.get(sink.name) ?? [];
    const ids = rows.map((_, index) => `${sink.name}-${stored.length + index}`);
    this.store.set(sink.name, [...stored, ...rows]);
    return new EgressResult({
      success: true,
      rowsDelivered: rows.length,
      bytesTransmitted: Buffer.byteLength(payload),
      durationSeconds: (performance.now() - started) / 1000,
      checksum,
      deliveryTimestamp: new Date(),
      idempotencyKey: options.idempotencyKey ?? `${sink.name}:${checksum}`,
      destinationRecordIds: ids,
    });
  }

  getSourceConfig(catalogConfig: CatalogConfig): SourceConfig & { warehouse: string } {
    return { kind: 'local', warehouse: String(catalogConfig.warehouse ?? '') };
  }

  #map(config: SinkConfig, row: Record<string, unknown>): Record<string, unknown> {
    const mapping = config.fieldMapping ?? {};
    return Object.fromEntries(Object.entries(row).map(([column, value]) => [mapping[column] ?? column, value]));
  }
}
