/** How a state store's operations are retried (see {@link retryTransient}). */
export interface StoreRetryOptions {
  /** Tries in all, the first included; default 5. */
  readonly attempts?: number;
  /** Delay before the first retry, doubled each time (ms); default 200. */
  readonly delayMs?: number;
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'SQLITE_BUSY',
  // PostgreSQL: admin / crash shutdown, cannot connect now, connection exceptions, serialization, deadlock.
  '57P01',
  '57P02',
  '57P03',
  '40001',
  '40P01',
]);

/**
 * Whether a state-store failure is worth retrying: a cut or refused connection, a database restarting, a
 * serialization failure or deadlock (PostgreSQL SQLSTATE class 08 and those above), SQLite busy.
 */
export function isTransientStoreError(error: unknown): boolean {
  const record = (error ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof record.code === 'string' ? record.code : '';
  if (TRANSIENT_CODES.has(code) || code.startsWith('08')) return true;
  return /Connection terminated|terminating connection|Client has encountered a connection error|Timeout acquiring a connection/i.test(
    String(record.message),
  );
}

/** Runs `operation`, retrying it (exponential backoff) while it fails with {@link isTransientStoreError}. */
export async function retryTransient<T>(operation: () => Promise<T>, options: StoreRetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 5);
  let delay = options.delayMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !isTransientStoreError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
}
