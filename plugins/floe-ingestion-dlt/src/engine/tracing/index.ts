// Tracing: @opentelemetry/api only (a peer dependency); spans are no-ops until an SDK is registered.
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
} from './attributes.js';
export type { SinkSpanStatus } from './attributes.js';
export { egressSpan, egressSpanSync, recordEgressResult, recordEgressError, getTracer } from './egress-span.js';
