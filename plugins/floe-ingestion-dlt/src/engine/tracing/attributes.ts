/** The tracer name of every span this plugin emits. */
export const TRACER_NAME = 'floe.ingestion.dlt';

/** Span attribute keys (FR-010), plus OpenTelemetry semantic-convention keys for failures. */
export const ATTR_SINK_TYPE = 'sink.type';
export const ATTR_SINK_DESTINATION = 'sink.destination';
export const ATTR_SINK_ROWS_WRITTEN = 'sink.rows_written';
export const ATTR_SINK_DURATION_MS = 'sink.duration_ms';
export const ATTR_SINK_STATUS = 'sink.status';
export const ATTR_SINK_ROWS_REJECTED = 'sink.rows_rejected';
export const ATTR_SINK_BYTES = 'sink.bytes_transmitted';
export const ATTR_SINK_OPERATION = 'sink.operation';
export const ATTR_SINK_BATCH_INDEX = 'sink.batch.index';
export const ATTR_SINK_BATCH_ROWS = 'sink.batch.rows';
export const ATTR_SINK_BATCH_FIRST_ROW = 'sink.batch.first_row';
/** Where a rest_api batch's body was encoded: `worker` (an encoding thread) or `caller` (the sending thread). */
export const ATTR_SINK_BATCH_ENCODED_ON = 'sink.batch.encoded_on';
export const ATTR_SINK_ATTEMPTS = 'sink.attempts';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_ERROR_CATEGORY = 'error.category';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_DB_SYSTEM_NAME = 'db.system.name';

/** Span names. */
export const SPAN_BATCH = 'sink.batch';

/** Values of `sink.status`: a receipt's status, `ok` for non-write operations, `error` when it threw. */
export type SinkSpanStatus = 'ok' | 'delivered' | 'partial' | 'failed' | 'error';
