// @floe/ingestion-dlt public API. Named exports only: this file is the package's whole surface.
import { DltIngestionPlugin } from './plugin.js';

// The plugin (also the default export, for plugin discovery)
export { DltIngestionPlugin };
export type { DltIngestionPluginOptions, DltWriteOptions } from './plugin.js';
export default DltIngestionPlugin;
export { DltSink } from './dlt-sink.js';

// dlt's destination model and the load engine
export { destination, DEFAULT_DESTINATION_BATCH_SIZE } from './destination/destination.js';
export type { Destination } from './destination/destination.js';
export { loadToDestination } from './destination/load.js';
export type { LoadClock, LoadOptions } from './destination/load.js';
export {
  DEFAULT_MAX_RECORD_IDS_IN_RECEIPT,
  ATTR_SINK_RECORD_IDS_TOTAL,
  ATTR_SINK_RECORD_IDS_TRUNCATED,
} from './destination/record-ids.js';
export type { RecordIdOptions, RecordIdsBatch } from './destination/record-ids.js';

export { toSnakeCase, normalizeName } from './destination/naming.js';
export type {
  BatchContext,
  BatchOf,
  BatchOutcome,
  ColumnSchema,
  DestinationFunction,
  DestinationHooks,
  DestinationOptions,
  LoadContext,
  LoaderFileFormat,
  NamingConvention,
  RejectedRecord,
  RollbackOutcome,
  Row,
  TableSchema,
} from './destination/types.js';

// Arrow → JSON / rows
export {
  encodeJsonRows,
  encodeJsonArray,
  encodeJsonBody,
  joinJsonRows,
  encodeJsonRowsBody,
  jsonRowsRange,
  batchToRows,
} from './encoding/index.js';
export type {
  DecimalEncoding,
  Int64Encoding,
  JsonBodyFraming,
  JsonEncodingOptions,
  JsonRowsBody,
  RowsInt64,
  RowsOptions,
} from './encoding/index.js';

// Errors
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
  categorizeHttpStatus,
  categorizeSqlState,
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

// Retry
export {
  createRetryPolicy,
  parseRetryAfter,
  DEFAULT_CIRCUIT_BREAKER_THRESHOLD,
  DEFAULT_HALF_OPEN_AFTER_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
} from './retry/index.js';
export type { RetryEvent, RetryPolicy, RetryPolicyOptions, RetryResult } from './retry/index.js';

// Tracing
export {
  TRACER_NAME,
  ATTR_SINK_TYPE,
  ATTR_SINK_DESTINATION,
  ATTR_SINK_ROWS_WRITTEN,
  ATTR_SINK_DURATION_MS,
  ATTR_SINK_STATUS,
  ATTR_SINK_ROWS_REJECTED,
  ATTR_SINK_BYTES,
  ATTR_SINK_OPERATION,
  ATTR_SINK_BATCH_INDEX,
  ATTR_SINK_BATCH_ROWS,
  ATTR_SINK_BATCH_FIRST_ROW,
  ATTR_SINK_BATCH_ENCODED_ON,
  ATTR_SINK_ATTEMPTS,
  ATTR_ERROR_TYPE,
  ATTR_ERROR_CATEGORY,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  SPAN_BATCH,
  egressSpan,
  recordEgressResult,
  recordEgressError,
} from './tracing/index.js';
export type { SinkSpanStatus } from './tracing/index.js';

// Sinks
export { SINK_TYPES, SINK_TYPE_DESCRIPTORS } from './sinks.js';
export type { SinkTypeEntry } from './sinks.js';
export { restApiSink, createRestApiDestination, restApiConfigSchema, restApiConnectionSchema } from './rest/index.js';
export type { RestApiConfig, RestApiConnection, RestApiDeps } from './rest/index.js';
export { sqlDatabaseSink, createSqlDatabaseDestination, sqlDatabaseConfigSchema } from './sql/index.js';
export type { SqlDatabaseConfig, SqlDatabaseDestinationDeps } from './sql/index.js';
export type { Clock } from './internal/clock.js';
