import type { IBackoff, IBackoffFactory, IRetryBackoffContext } from 'cockatiel';

type Context = IRetryBackoffContext<unknown>;

/** The `retryAfterMs` a failure asks for (set by sinks from `Retry-After`), if any. */
export function retryAfterOf(context: Context): number | undefined {
  if (!('error' in context.result)) return undefined;
  const error = context.result.error as unknown as Record<string, unknown> | undefined;
  const value = error?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Wraps a backoff so that a destination's `Retry-After` wins when it asks for longer than the
 * backoff would wait (capped at `maxRetryAfterMs`).
 */
export class RetryAfterBackoff implements IBackoffFactory<Context> {
  constructor(
    private readonly inner: IBackoffFactory<Context>,
    private readonly maxRetryAfterMs: number,
  ) {}

  next(context: Context): IBackoff<Context> {
    const step = this.inner.next(context);
    const asked = retryAfterOf(context);
    const duration =
      asked === undefined ? step.duration : Math.max(step.duration, Math.min(asked, this.maxRetryAfterMs));
    const rest = new RetryAfterBackoff(step, this.maxRetryAfterMs);
    return { duration, next: (nextContext) => rest.next(nextContext) };
  }
}
