// Retry for every sink: cockatiel backoff + Retry-After + circuit breaker + per-attempt timeout.
export {
  createRetryPolicy,
  withAttempts,
  DEFAULT_CIRCUIT_BREAKER_THRESHOLD,
  DEFAULT_HALF_OPEN_AFTER_MS,
  DEFAULT_MAX_RETRY_AFTER_MS,
} from './create-retry-policy.js';
export type { RetryEvent, RetryPolicy, RetryPolicyOptions, RetryResult } from './create-retry-policy.js';
export { parseRetryAfter } from './parse-retry-after.js';
