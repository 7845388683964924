import type { Got } from 'got';
import type { SinkConfig } from '@floe/core';
import { systemClock, type Clock } from '../../internal/clock.js';
import { PACKAGE_VERSION } from '../../internal/package-version.js';
import { TokenBucket } from '../../internal/token-bucket.js';
import { createRetryPolicy, type RetryPolicy } from '../../engine/retry/create-retry-policy.js';
import { authHeaders } from './rest-auth.js';
import type { RestApiConnection } from './rest-config-schema.js';
import type { RestTarget } from './rest-request.js';

/** What {@link createRestTarget} takes besides the config: the client, the endpoint, the secrets, the clock. */
export interface RestTargetParts {
  readonly client: Got;
  readonly url: string;
  readonly secrets: readonly string[];
  /** Time source for rate limiting (default: the system clock). */
  readonly clock: Clock | undefined;
}

/**
 * What every request of the destination shares: its headers (ours, the config's, then content type and auth,
 * which the config cannot override), its idempotency header, timeout, retry policy and rate limiter.
 */
export function createRestTarget(
  config: SinkConfig,
  connection: RestApiConnection,
  parts: RestTargetParts,
): RestTarget {
  return {
    client: parts.client,
    url: parts.url,
    method: connection.method,
    headers: {
      'user-agent': `floe-ingestion-dlt/${PACKAGE_VERSION}`,
      accept: 'application/json',
      ...lowerKeys(connection.headers ?? {}),
      'content-type': 'application/json',
      ...authHeaders(connection),
    },
    idempotencyHeader: connection.idempotency_header.toLowerCase(),
    timeoutMs: connection.timeout_ms,
    policy: restRetryPolicy(config, connection),
    limiter:
      connection.requests_per_second === undefined
        ? undefined
        : new TokenBucket(connection.requests_per_second, parts.clock ?? systemClock),
    sinkType: 'rest_api',
    destination: config.name,
    secrets: parts.secrets,
  };
}

/** The sink's retry settings, overridden by the connection's `retry`, behind its `circuit_breaker`. */
function restRetryPolicy(config: SinkConfig, connection: RestApiConnection): RetryPolicy {
  const retry = connection.retry ?? {};
  return createRetryPolicy(
    {
      ...config.retryConfig,
      ...(retry.max_attempts !== undefined && { maxAttempts: retry.max_attempts }),
      ...(retry.initial_delay_ms !== undefined && { initialDelayMs: retry.initial_delay_ms }),
      ...(retry.max_delay_ms !== undefined && { maxDelayMs: retry.max_delay_ms }),
    },
    {
      context: { sinkType: 'rest_api', destination: config.name },
      circuitBreaker: {
        ...(connection.circuit_breaker?.threshold !== undefined && {
          threshold: connection.circuit_breaker.threshold,
        }),
        ...(connection.circuit_breaker?.half_open_after_ms !== undefined && {
          halfOpenAfterMs: connection.circuit_breaker.half_open_after_ms,
        }),
      },
    },
  );
}

function lowerKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
