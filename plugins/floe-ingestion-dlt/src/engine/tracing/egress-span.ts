import { SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { EgressResult } from '@floe/core';
import { categorizeError, httpStatusOf } from '../../errors/categorize-error.js';
import { sanitizeErrorMessage } from '../../errors/sanitize-error-message.js';
import {
  ATTR_ERROR_CATEGORY,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SINK_ATTEMPTS,
  ATTR_SINK_BYTES,
  ATTR_SINK_DURATION_MS,
  ATTR_SINK_ROWS_REJECTED,
  ATTR_SINK_ROWS_WRITTEN,
  ATTR_SINK_STATUS,
  TRACER_NAME,
} from './attributes.js';

/** The plugin's tracer (a no-op until an OpenTelemetry SDK is registered). */
export function getTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/**
 * Runs `fn` inside an active span named `name` with `attrs`; records `sink.duration_ms` and
 * `sink.status` (`ok`, or `error` with the error's type and category when it throws — the error is
 * re-thrown). Used for every SinkConnector operation and every batch.
 *
 * @example
 * ```ts
 * const receipt = await egressSpan('sink.write', { 'sink.type': 'rest_api', 'sink.destination': 'crm' }, async (span) => {
 *   const result = await load();
 *   recordEgressResult(span, result);
 *   return result;
 * });
 * ```
 */
export function egressSpan<T>(name: string, attrs: Attributes, fn: (span: Span) => T | Promise<T>): Promise<T> {
  return getTracer().startActiveSpan(name, { attributes: attrs }, async (span) => {
    const started = performance.now();
    try {
      const value = await fn(span);
      if (!statusSet.has(span)) span.setAttribute(ATTR_SINK_STATUS, 'ok');
      return value;
    } catch (error) {
      recordEgressError(span, error);
      throw error;
    } finally {
      statusSet.delete(span);
      span.setAttribute(ATTR_SINK_DURATION_MS, performance.now() - started);
      span.end();
    }
  });
}

/**
 * The synchronous form of {@link egressSpan}, for the contract's synchronous operations
 * (`listAvailableSinks`, `getSourceConfig`).
 */
export function egressSpanSync<T>(name: string, attrs: Attributes, fn: (span: Span) => T): T {
  return getTracer().startActiveSpan(name, { attributes: attrs }, (span) => {
    const started = performance.now();
    try {
      const value = fn(span);
      span.setAttribute(ATTR_SINK_STATUS, 'ok');
      return value;
    } catch (error) {
      recordEgressError(span, error);
      throw error;
    } finally {
      span.setAttribute(ATTR_SINK_DURATION_MS, performance.now() - started);
      span.end();
    }
  });
}

/** Spans whose `sink.status` was set by a receipt (so `egressSpan` keeps it). */
const statusSet = new WeakSet<Span>();

/** Puts a receipt on a span: rows written and rejected, bytes, attempts, `sink.status` and the span status. */
export function recordEgressResult(span: Span, result: EgressResult): void {
  statusSet.add(span);
  span.setAttributes({
    [ATTR_SINK_ROWS_WRITTEN]: result.rowsDelivered,
    [ATTR_SINK_ROWS_REJECTED]: result.rowsRejected,
    [ATTR_SINK_BYTES]: result.bytesTransmitted,
    [ATTR_SINK_STATUS]: result.status,
  });
  if (result.status === 'delivered') {
    span.setStatus({ code: SpanStatusCode.OK });
    return;
  }
  const first = result.errors[0];
  if (first !== undefined) {
    span.setAttribute(ATTR_ERROR_CATEGORY, first.category);
    if (first.httpStatus !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, first.httpStatus);
  }
  span.setAttribute(ATTR_ERROR_TYPE, result.status === 'partial' ? 'partial_delivery' : 'delivery_failed');
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: sanitizeErrorMessage(first?.message ?? `${result.status} delivery`),
  });
}

/**
 * Records a failure on a span: `error.type`, `error.category`, `http.response.status_code`, attempts,
 * `sink.status=error`, a sanitised exception event (name and message; no stack, no request options).
 */
export function recordEgressError(span: Span, error: unknown): void {
  statusSet.add(span);
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const type = typeof record.code === 'string' ? record.code : typeof record.name === 'string' ? record.name : 'Error';
  const message = sanitizeErrorMessage(typeof record.message === 'string' ? record.message : String(error));
  span.setAttributes({
    [ATTR_SINK_STATUS]: 'error',
    [ATTR_ERROR_TYPE]: type,
    [ATTR_ERROR_CATEGORY]: categorizeError(error),
  });
  const status = httpStatusOf(error);
  if (status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  if (typeof record.attempts === 'number') span.setAttribute(ATTR_SINK_ATTEMPTS, record.attempts);
  span.recordException({ name: typeof record.name === 'string' ? record.name : 'Error', message });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
