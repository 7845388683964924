import {
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  retry,
  timeout,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from 'cockatiel';
import { DEFAULT_RETRY_CONFIG, ErrorCategory, type RetryConfig } from '@floe/core';
import { categorizeError } from '../../errors/categorize-error.js';
import { SinkConnectionError } from '../../errors/sink-connection-error.js';
import { contextSuffix, isIngestionError, type IngestionErrorContext } from '../../errors/ingestion-error.js';
import { RetryAfterBackoff } from './retry-after-backoff.js';

/** Consecutive transient failures (across all calls of one policy) after which the circuit opens. */
export const DEFAULT_CIRCUIT_BREAKER_THRESHOLD = 10;
/** How long an open circuit fails fast before letting one trial call through. */
export const DEFAULT_HALF_OPEN_AFTER_MS = 30_000;
/** Upper bound honoured for a destination's `Retry-After`. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 120_000;

/** Told before each retry. */
export interface RetryEvent {
  /** The attempt that failed (1 = the first call). */
  readonly attempt: number;
  /** How long the policy waits before the next attempt. */
  readonly delayMs: number;
  readonly error: unknown;
}

/** Options of {@link createRetryPolicy}. */
export interface RetryPolicyOptions {
  /** Called before each retry (log it, count it in a span). */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Abort an attempt that takes longer than this (its signal aborts; the attempt counts as a TRANSIENT failure). Default: none. */
  readonly attemptTimeoutMs?: number;
  /** Circuit breaker: fail fast after `threshold` consecutive transient failures (default 10) for `halfOpenAfterMs` (default 30 s); `false` disables it. */
  readonly circuitBreaker?: false | { readonly threshold?: number; readonly halfOpenAfterMs?: number };
  /** Longest `Retry-After` honoured, in ms (default 120 000). */
  readonly maxRetryAfterMs?: number;
  /** Which failures are retried; default: those {@link categorizeError} calls TRANSIENT. */
  readonly isRetryable?: (error: unknown) => boolean;
  /** Context for the errors the policy raises itself (circuit open, attempt timeout). */
  readonly context?: IngestionErrorContext;
}

/** The outcome of a successful {@link RetryPolicy.execute}. */
export interface RetryResult<T> {
  readonly value: T;
  /** Attempts made, including the first. */
  readonly attempts: number;
}

/** A retry policy built by {@link createRetryPolicy}; one per destination (the circuit is shared by its calls). */
export interface RetryPolicy {
  readonly retryConfig: Readonly<RetryConfig>;
  /** `closed`, `open`, `half-open` or `isolated`. */
  readonly circuitState: 'closed' | 'open' | 'half-open' | 'isolated';
  /**
   * Runs `fn` until it succeeds, a non-retryable error is thrown, attempts run out, the circuit is open,
   * or `signal` aborts. Throws the last error with `attempts` set on it. `onRetry` is told before each retry of
   * this call (besides the policy's own `onRetry`).
   */
  execute<T>(
    fn: (attempt: number, signal: AbortSignal) => Promise<T> | T,
    signal?: AbortSignal,
    onRetry?: (event: RetryEvent) => void,
  ): Promise<RetryResult<T>>;
}

/** cockatiel 3.2.1's own `isTaskCancelledError` tests the wrong property: check the flag it sets. */
function isTaskCancelledError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { isTaskCancelledError?: unknown }).isTaskCancelledError === true
  );
}

const STATES = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
} as const;

/**
 * A cockatiel policy from a {@link RetryConfig}: exponential backoff with decorrelated jitter from
 * `initialDelayMs` to `maxDelayMs`, a destination's `retryAfterMs` honoured when longer, only TRANSIENT
 * errors retried, a consecutive-failure circuit breaker, an optional per-attempt timeout, and the
 * caller's `AbortSignal` threaded through every attempt.
 *
 * @example
 * ```ts
 * const policy = createRetryPolicy({ maxAttempts: 5, initialDelayMs: 500, maxDelayMs: 30_000 });
 * const { value, attempts } = await policy.execute((attempt, signal) => send(batch, { signal }), abortSignal);
 * ```
 */
export function createRetryPolicy(
  retryConfig: Partial<RetryConfig> = {},
  options: RetryPolicyOptions = {},
): RetryPolicy {
  const config: RetryConfig = Object.freeze({ ...DEFAULT_RETRY_CONFIG, ...retryConfig });
  const retryable = options.isRetryable ?? ((error: unknown) => categorizeError(error) === ErrorCategory.TRANSIENT);
  const backoff = new RetryAfterBackoff(
    new ExponentialBackoff({ initialDelay: config.initialDelayMs, maxDelay: config.maxDelayMs }) as IBackoffFactory<
      IRetryBackoffContext<unknown>
    >,
    options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
  );
  const breakerOptions = options.circuitBreaker === false ? undefined : (options.circuitBreaker ?? {});
  const breaker =
    breakerOptions &&
    circuitBreaker(
      handleWhen((error) => !isBrokenCircuitError(error) && retryable(error)),
      {
        halfOpenAfter: breakerOptions.halfOpenAfterMs ?? DEFAULT_HALF_OPEN_AFTER_MS,
        breaker: new ConsecutiveBreaker(breakerOptions.threshold ?? DEFAULT_CIRCUIT_BREAKER_THRESHOLD),
      },
    );
  const attemptTimeout =
    options.attemptTimeoutMs === undefined ? undefined : timeout(options.attemptTimeoutMs, TimeoutStrategy.Aggressive);

  return {
    retryConfig: config,
    get circuitState() {
      return breaker ? STATES[breaker.state] : 'closed';
    },
    async execute<T>(
      fn: (attempt: number, signal: AbortSignal) => Promise<T> | T,
      signal?: AbortSignal,
      onRetry?: (event: RetryEvent) => void,
    ) {
      let attempts = 0;
      let lastError: unknown;
      const outer = retry(
        handleWhen((error) => !signal?.aborted && !isBrokenCircuitError(error) && retryable(error)),
        { maxAttempts: Math.max(0, config.maxAttempts - 1), backoff },
      );
      outer.onRetry((event) => {
        if (!('error' in event)) return;
        const retryEvent = { attempt: attempts, delayMs: event.delay, error: event.error };
        options.onRetry?.(retryEvent);
        onRetry?.(retryEvent);
      });
      const once = (attemptSignal: AbortSignal): Promise<T> => {
        attempts += 1;
        const attempt = attempts;
        return Promise.resolve()
          .then(() => fn(attempt, attemptSignal))
          .catch((error: unknown) => {
            lastError = error;
            throw error;
          });
      };
      const timed = (attemptSignal: AbortSignal): Promise<T> =>
        attemptTimeout
          ? attemptTimeout
              .execute((_context, timeoutSignal) => once(timeoutSignal), attemptSignal)
              .catch((error: unknown) => {
                throw isTaskCancelledError(error) && !attemptSignal.aborted ? timedOut(options, error) : error;
              })
          : once(attemptSignal);
      try {
        const value = await outer.execute(
          ({ signal: retrySignal }) =>
            breaker ? breaker.execute(({ signal: s }) => timed(s), retrySignal) : timed(retrySignal),
          signal,
        );
        return { value, attempts };
      } catch (error) {
        if (signal?.aborted && !isIngestionError(error)) throw withAttempts(abortReason(signal, error), attempts);
        if (isBrokenCircuitError(error)) {
          throw new SinkConnectionError(
            `circuit breaker open after ${breakerOptions?.threshold ?? DEFAULT_CIRCUIT_BREAKER_THRESHOLD} consecutive transient failures: failing fast`,
            { ...options.context, attempts, cause: lastError ?? error, code: 'CIRCUIT_OPEN' },
          );
        }
        throw withAttempts(error, attempts);
      }
    },
  };
}

function timedOut(options: RetryPolicyOptions, cause: unknown): SinkConnectionError {
  return new SinkConnectionError(`attempt timed out after ${options.attemptTimeoutMs} ms`, {
    ...options.context,
    cause,
    code: 'ATTEMPT_TIMEOUT',
  });
}

function abortReason(signal: AbortSignal, error: unknown): unknown {
  return signal.reason instanceof Error ? signal.reason : error;
}

/** Sets `attempts` on the error (and its context suffix, for floe ingestion errors). */
export function withAttempts<E>(error: E, attempts: number): E {
  if (typeof error !== 'object' || error === null || !Object.isExtensible(error)) return error;
  Object.defineProperty(error, 'attempts', { value: attempts, writable: true, configurable: true, enumerable: true });
  if (isIngestionError(error)) {
    error.message = `${error.detail}${contextSuffix({ ...error.context, attempts })}`;
  }
  return error;
}
