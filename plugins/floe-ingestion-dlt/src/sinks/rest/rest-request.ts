import type { Got, Response } from 'got';
import { ErrorCategory } from '@floe/core';
import { categorizeHttpStatus, isIdempotencyKeyInUse } from '../../errors/categorize-error.js';
import { safeCause } from '../../errors/safe-cause.js';
import { SinkConnectionError } from '../../errors/sink-connection-error.js';
import { SinkWriteError } from '../../errors/sink-write-error.js';
import type { TokenBucket } from '../../internal/token-bucket.js';
import type { RetryPolicy } from '../../engine/retry/create-retry-policy.js';
import { parseRetryAfter } from '../../engine/retry/parse-retry-after.js';
import { ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SINK_ATTEMPTS } from '../../engine/tracing/attributes.js';
import type { BatchContext } from '../../engine/destination/types.js';

/** Everything a request needs that does not change per batch. */
export interface RestTarget {
  readonly client: Got;
  readonly url: string;
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers: Readonly<Record<string, string>>;
  readonly idempotencyHeader: string;
  readonly timeoutMs: number;
  readonly policy: RetryPolicy;
  readonly limiter: TokenBucket | undefined;
  readonly sinkType: string;
  readonly destination: string;
  readonly secrets: readonly string[];
}

/** A 2xx answer. */
export interface RestAnswer {
  readonly status: number;
  readonly body: string;
  readonly attempts: number;
}

const SNIPPET = 300;

/**
 * Sends one request body (none: `undefined`, e.g. a `DELETE /contacts/{id}`) with the batch's idempotency key
 * (or `key`, for a part of the batch), retrying transient failures with the target's policy (the same key on
 * every attempt), and returns the 2xx answer. Throws a categorised {@link SinkWriteError} (HTTP status, attempts,
 * `retryAfterMs`) or {@link SinkConnectionError}.
 */
export async function sendBody(
  target: RestTarget,
  body: Buffer | undefined,
  context: BatchContext,
  key = context.idempotencyKey,
): Promise<RestAnswer> {
  const { value, attempts } = await target.policy.execute(
    async (attempt, signal) => {
      if (attempt > 1) context.span.addEvent('retry', { [ATTR_SINK_ATTEMPTS]: attempt });
      await target.limiter?.take(signal);
      let response: Response<string>;
      try {
        const headers = { ...target.headers, [target.idempotencyHeader]: key };
        if (body === undefined) delete headers['content-type'];
        response = await target.client(target.url, {
          method: target.method,
          ...(body !== undefined && { body }),
          headers,
          signal,
          timeout: { request: target.timeoutMs },
        });
      } catch (error) {
        if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : error;
        throw connectionError(target, error);
      }
      context.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.statusCode);
      if (response.statusCode >= 200 && response.statusCode < 300)
        return { status: response.statusCode, body: response.body };
      throw httpError(target, response);
    },
    context.signal,
    (retry) =>
      context.onWait?.({
        attempt: retry.attempt,
        delayMs: retry.delayMs,
        reason: retry.error instanceof Error ? retry.error.message : String(retry.error),
      }),
  );
  context.span.setAttribute(ATTR_SINK_ATTEMPTS, attempts);
  return { ...value, attempts };
}

function connectionError(target: RestTarget, error: unknown): SinkConnectionError {
  const record = error as { message?: unknown; code?: unknown; name?: unknown };
  const code = typeof record.code === 'string' ? record.code : undefined;
  return new SinkConnectionError(
    `request to the destination failed (${code ?? String(record.name)}): ${String(record.message)}`,
    {
      sinkType: target.sinkType,
      destination: target.destination,
      cause: safeCause(error, target.secrets),
      ...(code !== undefined && { code }),
    },
  );
}

function httpError(target: RestTarget, response: Response<string>): SinkWriteError {
  const status = response.statusCode;
  const keyInUse = isIdempotencyKeyInUse(status, response.body);
  const retryAfterMs =
    status === 429 || status === 503 || keyInUse ? parseRetryAfter(response.headers['retry-after']) : undefined;
  const snippet = response.body.length > SNIPPET ? `${response.body.slice(0, SNIPPET)}…` : response.body;
  const category = keyInUse
    ? ErrorCategory.TRANSIENT
    : (categorizeHttpStatus(status) ??
      (status >= 300 && status < 400 ? ErrorCategory.CONFIGURATION : ErrorCategory.PERMANENT));
  const redirect =
    status >= 300 && status < 400
      ? ` (redirects are not followed: point url at ${String(response.headers.location ?? 'the final endpoint')})`
      : status === 413
        ? ' (the request body is larger than the API accepts: lower batch_size)'
        : '';
  return new SinkWriteError(
    `HTTP ${status} ${response.statusMessage ?? ''}${redirect}${snippet ? `: ${snippet}` : ''}`.trim(),
    {
      httpStatus: status,
      category,
      sinkType: target.sinkType,
      destination: target.destination,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    },
  );
}
