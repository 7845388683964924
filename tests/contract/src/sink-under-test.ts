import type { SinkConfig, SinkConnector } from '@floe/core';
import type { Table } from 'apache-arrow';

/**
 * One fresh, empty destination for the contract suite, built by your factory for every test.
 *
 * @example
 * ```ts
 * const factory: SinkFactory = async () => {
 *   const server = await startLoopbackTarget();
 *   return {
 *     connector: new DltIngestionPlugin(),
 *     config: new SinkConfig({ sinkType: 'rest_api', connectionConfig: { url: server.url } }),
 *     readBack: async () => server.receivedRows(),
 *     cleanup: () => server.close(),
 *   };
 * };
 * ```
 */
export interface SinkUnderTest {
  /** The connector under test (any object implementing the four SinkConnector methods). */
  readonly connector: SinkConnector;
  /** A valid config pointing at a fresh, empty destination. The suite derives variants with `config.with()`. */
  readonly config: SinkConfig;
  /**
   * The rows now at the destination, as plain objects keyed by destination field name. Columns the
   * destination adds itself (load ids, timestamps) are ignored; rows are compared by the sample's key.
   */
  readonly readBack: () => Promise<Record<string, unknown>[]>;
  /** Releases what the factory created (servers, schemas, files). Called after every test. */
  readonly cleanup?: () => Promise<void>;
}

/** Builds a {@link SinkUnderTest}; called once per test (twice for the idempotency check). */
export type SinkFactory = () => Promise<SinkUnderTest>;

/** What the sink supports beyond the core contract; checks for absent capabilities are not registered. */
export interface SinkCapabilities {
  /** `write()` returns one `destinationRecordIds` entry per delivered row. */
  readonly recordIds: boolean;
  /** The sink honours `config.fieldMapping` (source column → destination field). */
  readonly fieldMapping: boolean;
  /** An empty table is a successful delivery of zero rows. */
  readonly emptyInput: boolean;
}

/** Options of {@link describeSinkConnector}. */
export interface DescribeSinkConnectorOptions {
  /** Title of the `describe` block; default `SinkConnector contract (<sinkType>)`. */
  readonly title?: string;
  /** The sample data written by the suite; default {@link sampleTable}. Must have a unique key column. */
  readonly sample?: () => Table;
  /** The sample's key column, used to match rows read back; default `id`. */
  readonly key?: string;
}
