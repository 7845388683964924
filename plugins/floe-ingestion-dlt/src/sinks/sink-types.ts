import type { SinkConfig, SinkTypeDescriptor } from '@floe/core';
import type { Destination } from '../engine/destination/destination.js';
import { createRestApiDestination, type RestApiDeps } from './rest/create-rest-api-destination.js';
import { restApiSink } from './rest/rest-api-sink.js';
import { createSqlDatabaseDestination, sqlDatabaseSink } from './sql/index.js';

/** One built-in sink type: its descriptor (name, config schema) and its destination factory. */
export interface SinkTypeEntry {
  readonly descriptor: SinkTypeDescriptor;
  /**
   * Validates `config.connectionConfig` (throws `SinkConfigurationError`) and builds the destination; no I/O.
   * The destination's `batchSize` must follow `config.batchSize` (absent = 0, all rows at once) and its
   * `name` `config.name`: `DltIngestionPlugin.write` uses them as they are.
   */
  create(config: SinkConfig, deps?: unknown): Destination;
}

/** The sink types of the dlt plugin, by name. */
export const SINK_TYPES: ReadonlyMap<string, SinkTypeEntry> = new Map<string, SinkTypeEntry>([
  [
    'rest_api',
    {
      descriptor: restApiSink,
      create: (config, deps) => createRestApiDestination(config, deps as RestApiDeps | undefined),
    },
  ],
  [
    'sql_database',
    {
      descriptor: sqlDatabaseSink,
      create: (config, deps) =>
        createSqlDatabaseDestination(config, deps as Parameters<typeof createSqlDatabaseDestination>[1]),
    },
  ],
]);

/** Descriptors of every built-in sink type (for `compileEgress`). */
export const SINK_TYPE_DESCRIPTORS: readonly SinkTypeDescriptor[] = Object.freeze(
  [...SINK_TYPES.values()].map((entry) => entry.descriptor),
);
