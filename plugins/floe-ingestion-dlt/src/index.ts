// @floe/ingestion-dlt public API. Named exports only: this file is the package's whole surface — what a
// user of the plugin needs (the plugin, dlt's destination model to write your own destination, the sink
// types, the errors to handle). Internals stay under src/engine and src/sinks.
import { DltIngestionPlugin } from './plugin.js';

// The plugin (also the default export, for plugin discovery)
export { DltIngestionPlugin };
export type { DltIngestionPluginOptions, DltWriteOptions } from './plugin.js';
export default DltIngestionPlugin;
export { DltSink } from './dlt-sink.js';

// dlt's destination model: declare a destination from a function, load Arrow data into it
export { destination, DEFAULT_DESTINATION_BATCH_SIZE } from './engine/destination/destination.js';
export type { Destination } from './engine/destination/destination.js';
export { loadToDestination } from './engine/destination/load.js';
export type { LoadClock, LoadOptions } from './engine/destination/load.js';
export { DEFAULT_MAX_RECORD_IDS_IN_RECEIPT } from './engine/destination/record-ids.js';
export type { RecordIdOptions, RecordIdsBatch } from './engine/destination/record-ids.js';
export { toSnakeCase, normalizeName } from './engine/destination/naming.js';
export type {
  BatchContext,
  BatchOf,
  BatchOutcome,
  ColumnSchema,
  DestinationFunction,
  DestinationHooks,
  DestinationOptions,
  IsolationProgress,
  LoadContext,
  LoaderFileFormat,
  NamingConvention,
  RejectedRecord,
  RollbackOutcome,
  Row,
  TableSchema,
} from './engine/destination/types.js';

// Arrow → JSON / rows, exactly as the sinks send them (exact int64 and decimals, µs timestamps)
export { encodeJsonRows, encodeJsonBody, batchToRows } from './engine/encoding/index.js';
export type {
  DecimalEncoding,
  Int64Encoding,
  JsonEncodingOptions,
  RowsInt64,
  RowsOptions,
} from './engine/encoding/index.js';

// Errors: every failure is categorised (TRANSIENT, PERMANENT, PARTIAL, CONFIGURATION)
export {
  IngestionError,
  SinkConnectionError,
  SinkWriteError,
  SinkConfigurationError,
  isIngestionError,
  isSinkConnectionError,
  isSinkWriteError,
  isSinkConfigurationError,
  categorizeError,
  sanitizeErrorMessage,
  registerSecret,
} from './errors/index.js';
export type {
  ConfigurationIssue,
  IngestionErrorContext,
  IngestionErrorOptions,
  SinkConfigurationErrorOptions,
  SinkWriteErrorOptions,
} from './errors/index.js';

// Retry (cockatiel: backoff with jitter, Retry-After, circuit breaker)
export { createRetryPolicy, parseRetryAfter } from './engine/retry/index.js';
export type { RetryEvent, RetryPolicy, RetryPolicyOptions, RetryResult } from './engine/retry/index.js';

// Tracing: the span and attribute names every sink operation reports (FR-010)
export {
  TRACER_NAME,
  SPAN_BATCH,
  ATTR_SINK_TYPE,
  ATTR_SINK_DESTINATION,
  ATTR_SINK_ROWS_WRITTEN,
  ATTR_SINK_DURATION_MS,
  ATTR_SINK_STATUS,
} from './engine/tracing/index.js';
export { ATTR_SINK_RECORD_IDS_TOTAL, ATTR_SINK_RECORD_IDS_TRUNCATED } from './engine/destination/record-ids.js';

// The sink types: descriptors (for hosts), destination factories and config schemas
export { SINK_TYPES, SINK_TYPE_DESCRIPTORS } from './sinks/sink-types.js';
export type { SinkTypeEntry } from './sinks/sink-types.js';
export { restApiSink, createRestApiDestination, restApiConfigSchema } from './sinks/rest/index.js';
export type { RestApiConfig, RestApiConnection, RestApiDeps } from './sinks/rest/index.js';
export { sqlDatabaseSink, createSqlDatabaseDestination, sqlDatabaseConfigSchema } from './sinks/sql/index.js';
export type { SqlDatabaseConfig, SqlDatabaseDestinationDeps } from './sinks/sql/index.js';
export type { Clock } from './internal/clock.js';
