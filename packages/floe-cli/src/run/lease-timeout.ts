/** The variable that sets after how long a silent lease holder is presumed dead (ms; default 30 s). */
export const LEASE_TIMEOUT_ENV = 'FLOE_LEASE_TIMEOUT_MS';

/** `{ timeoutMs }` from {@link LEASE_TIMEOUT_ENV} when it holds a positive whole number of milliseconds. */
export function leaseTimeoutMs(env: Readonly<Record<string, string | undefined>>): { timeoutMs?: number } {
  const value = Number(env[LEASE_TIMEOUT_ENV]);
  return env[LEASE_TIMEOUT_ENV] !== undefined && Number.isInteger(value) && value > 0 ? { timeoutMs: value } : {};
}
