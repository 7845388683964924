import type { DeliveryDescription, DeliveryRunParts, EgressResult, ResumableSinkConnector } from '@floe/core';
import {
  IngestionPlugin,
  type CatalogConfig,
  type DeliveryState,
  type EgressData,
  type HealthStatus,
  type IngestionConfig,
  type IngestionResult,
  type SinkConfig,
  type SinkTypeDescriptor,
  type SourceConfig,
  type WriteOptions,
} from '@floe/core';
import { getSourceConfig } from '@floe/lakehouse';
import { loadToDestination } from './engine/destination/load.js';
import type { RecordIdOptions } from './engine/destination/record-ids.js';
import { DltSink } from './dlt-sink.js';
import { IngestionError } from './errors/ingestion-error.js';
import { SinkConfigurationError } from './errors/sink-configuration-error.js';
import { PACKAGE_VERSION } from './internal/package-version.js';
import { SINK_TYPES, type SinkTypeEntry } from './sinks/sink-types.js';
import { ATTR_SINK_DESTINATION, ATTR_SINK_OPERATION, ATTR_SINK_TYPE } from './engine/tracing/attributes.js';
import { egressSpan, egressSpanSync, recordEgressResult } from './engine/tracing/egress-span.js';

/** Options of {@link DltIngestionPlugin}. */
export interface DltIngestionPluginOptions {
  /** Collaborators injected per sink type, e.g. `{ rest_api: { client, clock } }` (tests, custom HTTP clients, pools). */
  readonly sinkDeps?: Readonly<Record<string, unknown>>;
  /** Sink types to offer instead of the built-in ones (e.g. to add your own). */
  readonly sinkTypes?: ReadonlyMap<string, SinkTypeEntry>;
}

/**
 * Options of {@link DltIngestionPlugin.write}: the contract's, plus delivery with a ledger (resume, exactly once)
 * and how many record ids the receipt keeps (`maxRecordIdsInReceipt`, default 10,000; every id streams to
 * `onRecordIds`).
 */
export interface DltWriteOptions extends WriteOptions, RecordIdOptions {
  /** The run begun in a delivery ledger (see `LoadOptions.delivery`). */
  readonly delivery?: DeliveryState;
}

/**
 * floe's dlt plugin: one plugin, two directions. Ingestion (source → Iceberg) is declared but not supported
 * yet in this TypeScript port — those methods throw a CONFIGURATION error, they never pretend. Egress
 * (reverse ETL) implements {@link SinkConnector}: `rest_api` and `sql_database` sinks built on dlt's
 * destination model, with OpenTelemetry spans on every operation.
 *
 * @example
 * ```ts
 * const dlt = new DltIngestionPlugin();
 * await dlt.startup();
 * const sink = await dlt.createSink(new SinkConfig({ sinkType: 'rest_api', name: 'crm', batchSize: 100,
 *   connectionConfig: { url: 'https://api.example.com/v1/contacts', token } }));
 * const receipt = await dlt.write(sink, goldTable);
 * await dlt.shutdown();
 * ```
 */
export class DltIngestionPlugin extends IngestionPlugin implements ResumableSinkConnector<DltSink> {
  readonly name = 'dlt';
  readonly version = PACKAGE_VERSION;
  readonly floeApiVersion = '1.0';
  readonly description = 'dlt: ingestion and reverse-ETL egress to REST APIs and SQL databases';
  readonly isExternal = false;
  private started = false;
  private readonly sinks = new Set<DltSink>();
  private readonly sinkTypes: ReadonlyMap<string, SinkTypeEntry>;
  private readonly sinkDeps: Readonly<Record<string, unknown>>;

  constructor(options: DltIngestionPluginOptions = {}) {
    super();
    this.sinkTypes = options.sinkTypes ?? SINK_TYPES;
    this.sinkDeps = options.sinkDeps ?? {};
  }

  /** Idempotent. */
  override async startup(): Promise<void> {
    this.started = true;
  }

  /** Closes every open sink. Idempotent. */
  override async shutdown(): Promise<void> {
    this.started = false;
    await Promise.allSettled([...this.sinks].map((sink) => sink.close()));
  }

  override async healthCheck(): Promise<HealthStatus> {
    return {
      state: this.started ? 'healthy' : 'unhealthy',
      message: this.started ? `dlt ${this.version} is running` : 'dlt is not started: call startup()',
      details: { started: this.started, openSinks: this.sinks.size, availableSinks: [...this.sinkTypes.keys()] },
    };
  }

  createPipeline(_config: IngestionConfig): Promise<unknown> {
    return Promise.reject(notSupported('createPipeline'));
  }

  run(_pipeline: unknown): Promise<IngestionResult> {
    return Promise.reject(notSupported('run'));
  }

  getDestinationConfig(_catalogConfig: Readonly<Record<string, unknown>>): Record<string, unknown> {
    throw notSupported('getDestinationConfig');
  }

  listAvailableSinks(): readonly string[] {
    return egressSpanSync('sink.list_available_sinks', { [ATTR_SINK_OPERATION]: 'list_available_sinks' }, () => {
      this.assertStarted('listAvailableSinks');
      return Object.freeze([...this.sinkTypes.keys()]);
    });
  }

  /** The descriptor of every sink type offered: config schema, checks, secret keys, capabilities, preview. */
  describeSinks(): readonly SinkTypeDescriptor[] {
    return Object.freeze([...this.sinkTypes.values()].map((entry) => entry.descriptor));
  }

  /**
   * How `sink` delivers a run (the delivery capability): its identity (no secrets), its batch size, the
   * ledger a `sql_database` sink keeps in its destination for `append`/`merge`, and whether a re-sent batch
   * is deduplicated by the destination.
   */
  describeDelivery(sink: DltSink, _parts: DeliveryRunParts): DeliveryDescription {
    const { destination } = sink;
    return {
      identity: destination.identity,
      batchSize: destination.batchSize,
      ...(destination.ledger !== undefined && { ledger: destination.ledger }),
      idempotent:
        destination.ledger !== undefined ||
        this.sinkTypes.get(sink.sinkType)?.descriptor.capabilities?.idempotentRequests === true,
    };
  }

  /** Validates the config against the sink type's schema and builds the sink; no network I/O. */
  createSink(config: SinkConfig): Promise<DltSink> {
    return egressSpan(
      'sink.create',
      {
        [ATTR_SINK_OPERATION]: 'create_sink',
        [ATTR_SINK_TYPE]: String(config?.sinkType),
        [ATTR_SINK_DESTINATION]: String(config?.name),
      },
      async () => {
        this.assertStarted('createSink');
        const entry = this.sinkTypes.get(config.sinkType);
        if (entry === undefined) {
          throw new SinkConfigurationError(`unknown sink type "${config.sinkType}"`, {
            issues: [{ path: 'sink_type', message: `must be one of: ${[...this.sinkTypes.keys()].join(', ')}` }],
            sinkType: config.sinkType,
            destination: config.name,
          });
        }
        const sink = new DltSink(config, entry.create(config, this.sinkDeps[config.sinkType]), (closed) =>
          this.sinks.delete(closed),
        );
        this.sinks.add(sink);
        return sink;
      },
    );
  }

  /**
   * Delivers `data` through the sink (see `loadToDestination` for throw-vs-receipt): batches of the sink's
   * `batchSize` (absent = all rows at once), its field mapping applied.
   */
  write(sink: DltSink, data: EgressData, options: DltWriteOptions = {}): Promise<EgressResult> {
    return egressSpan(
      'sink.write',
      {
        [ATTR_SINK_OPERATION]: 'write',
        [ATTR_SINK_TYPE]: String(sink?.sinkType),
        [ATTR_SINK_DESTINATION]: String(sink?.name),
      },
      async (span) => {
        this.assertStarted('write');
        if (!(sink instanceof DltSink) || !this.sinks.has(sink)) {
          throw new IngestionError(
            'write(): the sink is closed or was not created by this plugin: call createSink() first',
            {
              category: 'CONFIGURATION',
              code: 'SINK_NOT_OPEN',
            },
          );
        }
        const result = await loadToDestination(sink.destination, data, {
          ...options,
          ...(sink.config.fieldMapping && { fieldMapping: sink.config.fieldMapping }),
          span,
        });
        recordEgressResult(span, result);
        return result;
      },
    );
  }

  /** What a reader needs to read the Iceberg Gold layer through the manifest's catalog (delegates to `@floe/lakehouse`). */
  getSourceConfig(catalogConfig: CatalogConfig): SourceConfig {
    return egressSpanSync('sink.get_source_config', { [ATTR_SINK_OPERATION]: 'get_source_config' }, () => {
      this.assertStarted('getSourceConfig');
      return getSourceConfig({ ...catalogConfig });
    });
  }

  private assertStarted(operation: string): void {
    if (!this.started) {
      throw new IngestionError(`dlt plugin: ${operation}() called before startup() (or after shutdown())`, {
        category: 'CONFIGURATION',
        code: 'PLUGIN_NOT_STARTED',
      });
    }
  }
}

function notSupported(operation: string): IngestionError {
  return new IngestionError(
    `dlt plugin: ${operation}() — ingestion is not supported yet by the TypeScript dlt plugin; use the egress (SinkConnector) methods`,
    { category: 'CONFIGURATION', code: 'NOT_SUPPORTED' },
  );
}
