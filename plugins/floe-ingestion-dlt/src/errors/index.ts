// Errors of @floe/ingestion-dlt: one class per file, a brand and an is…() guard each.
export { IngestionError, isIngestionError, contextSuffix } from './ingestion-error.js';
export type { IngestionErrorContext, IngestionErrorOptions } from './ingestion-error.js';
export { SinkConnectionError, isSinkConnectionError } from './sink-connection-error.js';
export { SinkWriteError, isSinkWriteError } from './sink-write-error.js';
export type { SinkWriteErrorOptions } from './sink-write-error.js';
export {
  SinkConfigurationError,
  isSinkConfigurationError,
  formatConfigurationIssue,
} from './sink-configuration-error.js';
export type { ConfigurationIssue, SinkConfigurationErrorOptions } from './sink-configuration-error.js';
export { categorizeError, categorizeHttpStatus, httpStatusOf, isIdempotencyKeyInUse } from './categorize-error.js';
export { categorizeSqlState } from '../sinks/sql/dialects/postgres-errors.js';
export { sanitizeErrorMessage, registerSecret, MIN_SECRET_LENGTH } from './sanitize-error-message.js';
export { safeCause } from './safe-cause.js';
