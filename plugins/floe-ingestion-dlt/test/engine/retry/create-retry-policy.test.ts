import { describe, expect, it } from '@jest/globals';
import { SinkWriteError, isSinkConnectionError } from '../../../src/errors/index.js';
import { createRetryPolicy, parseRetryAfter, type RetryEvent } from '../../../src/engine/retry/index.js';

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection<E = Error & { attempts?: number; detail?: string }>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a rejection');
}

const transient = (message = 'HTTP 503', retryAfterMs?: number): SinkWriteError =>
  new SinkWriteError(message, { httpStatus: 503, ...(retryAfterMs !== undefined && { retryAfterMs }) });

describe('createRetryPolicy', () => {
  it('retries transient failures and reports the attempts it took', async () => {
    const events: RetryEvent[] = [];
    const policy = createRetryPolicy(
      { maxAttempts: 4, initialDelayMs: 1, maxDelayMs: 2 },
      { onRetry: (e) => events.push(e) },
    );
    const seen: number[] = [];
    const result = await policy.execute((attempt) => {
      seen.push(attempt);
      if (attempt < 3) throw transient();
      return 'ok';
    });
    expect(result).toEqual({ value: 'ok', attempts: 3 });
    expect(seen).toEqual([1, 2, 3]);
    expect(events.map((e) => e.attempt)).toEqual([1, 2]);
    expect(events.every((e) => e.delayMs <= 2)).toBe(true);
    expect(policy.retryConfig).toEqual({ maxAttempts: 4, initialDelayMs: 1, maxDelayMs: 2 });
  });

  it('does not retry permanent or configuration errors, and throws them with attempts set', async () => {
    const policy = createRetryPolicy({ maxAttempts: 5, initialDelayMs: 1, maxDelayMs: 1 });
    let calls = 0;
    const error = await rejection(
      policy.execute(() => {
        calls += 1;
        throw new SinkWriteError('HTTP 422', { httpStatus: 422, category: 'CONFIGURATION', destination: 'crm' });
      }),
    );
    expect(calls).toBe(1);
    expect(error.attempts).toBe(1);
    expect(error.message).toBe('HTTP 422 [destination=crm, http_status=422, attempts=1]');
    const plain = await rejection(policy.execute(() => Promise.reject(new TypeError('bug'))));
    expect(plain.attempts).toBe(1);
  });

  it('throws the last error with attempts when attempts run out', async () => {
    const policy = createRetryPolicy({ maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 1 });
    const error = await rejection(policy.execute((attempt) => Promise.reject(transient(`HTTP 503 #${attempt}`))));
    expect(error.detail).toBe('HTTP 503 #3');
    expect(error.attempts).toBe(3);
  });

  it('waits at least the Retry-After the destination asks for, capped', async () => {
    const events: RetryEvent[] = [];
    const policy = createRetryPolicy(
      { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 1 },
      { onRetry: (e) => events.push(e), maxRetryAfterMs: 30 },
    );
    await policy.execute((attempt) => {
      if (attempt === 1) throw transient('429', 20);
      if (attempt === 2) throw transient('429', 10_000);
      return 'ok';
    });
    expect(events.map((e) => e.delayMs)).toEqual([20, 30]);
  });

  it('opens the circuit after N consecutive transient failures and then fails fast', async () => {
    const policy = createRetryPolicy(
      { maxAttempts: 10, initialDelayMs: 1, maxDelayMs: 1 },
      { circuitBreaker: { threshold: 3, halfOpenAfterMs: 60_000 }, context: { destination: 'crm' } },
    );
    let calls = 0;
    const error = await rejection(
      policy.execute(() => {
        calls += 1;
        throw transient();
      }),
    );
    expect(calls).toBe(3);
    expect(isSinkConnectionError(error)).toBe(true);
    expect(error.message).toMatch(
      /circuit breaker open after 3 consecutive transient failures.*destination=crm, attempts=3/,
    );
    expect(policy.circuitState).toBe('open');
    const second = await rejection(policy.execute(() => 'never'));
    expect(isSinkConnectionError(second)).toBe(true);
    expect(createRetryPolicy({}, { circuitBreaker: false }).circuitState).toBe('closed');
  });

  it('times out a slow attempt, aborting its signal, and retries it', async () => {
    const policy = createRetryPolicy({ maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 }, { attemptTimeoutMs: 20 });
    const aborted: number[] = [];
    const error = await rejection(
      policy.execute(
        (attempt, signal) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              aborted.push(attempt);
              reject(new Error('aborted'));
            });
          }),
      ),
    );
    expect(aborted).toEqual([1, 2]);
    expect(error.message).toMatch(/attempt timed out after 20 ms.*attempts=2/);
  });

  it('stops retrying when the caller aborts', async () => {
    const controller = new AbortController();
    const policy = createRetryPolicy({ maxAttempts: 5, initialDelayMs: 1, maxDelayMs: 1 });
    let calls = 0;
    const error = await rejection(
      policy.execute(() => {
        calls += 1;
        controller.abort(new Error('cancelled by user'));
        throw transient();
      }, controller.signal),
    );
    expect(calls).toBe(1);
    expect(error.message).toMatch(/cancelled by user|HTTP 503/);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP-dates, and ignores junk', () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter(['3'], now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 May 2024 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 01 May 2024 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(' ', now)).toBeUndefined();
  });
});
