import { hostname } from 'node:os';
import { isLeasingLedger, type DeliveryLedger, type LeaseHolder, type RunLease } from '@floe/core';

/** Default of {@link RunLeaseOptions.timeoutMs}: a holder silent for 30 s is presumed dead. */
export const DEFAULT_LEASE_TIMEOUT_MS = 30_000;

/** How a run takes its destination's lease (see `PlanRunOptions.lease`). */
export interface RunLeaseOptions {
  /** How long to wait for another process's lease to end (ms); default 0: do not wait. */
  readonly waitMs?: number;
  /** A holder whose heartbeat is older than this is presumed dead (ms); default {@link DEFAULT_LEASE_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Stops waiting. */
  readonly signal?: AbortSignal;
  /** Wall clock (tests). */
  readonly now?: () => Date;
  /** This process (tests). */
  readonly host?: string;
  readonly pid?: number;
}

/** What {@link takeRunLease} got: the lease (or none, for a ledger that cannot lease), or who holds it. */
export type LeaseTaking =
  | { readonly held: true; readonly lease: RunLease | undefined }
  | { readonly held: false; readonly holder: LeaseHolder };

/** "destination crm is being delivered by run R (pid 4242 on host h1, heartbeat 2 s ago)". */
export function leaseHeldMessage(destination: string, holder: LeaseHolder, now: Date = new Date()): string {
  const ago = Math.max(0, Math.round((now.getTime() - holder.heartbeatAt.getTime()) / 1000));
  return (
    `destination ${destination} is being delivered by run ${holder.runId} ` +
    `(pid ${holder.pid} on host ${holder.host}, heartbeat ${ago} s ago)`
  );
}

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Takes the run lease `key` of `ledger` for `runId`, waiting up to `waitMs` for the holder to finish (or to
 * stop heartbeating). A ledger without the lease capability gives `lease: undefined` (nothing to hold).
 */
export async function takeRunLease(
  ledger: DeliveryLedger,
  key: string,
  runId: string,
  options: RunLeaseOptions = {},
): Promise<LeaseTaking> {
  if (!isLeasingLedger(ledger)) return { held: true, lease: undefined };
  const now = (): number => (options.now?.() ?? new Date()).getTime();
  const deadline = now() + (options.waitMs ?? 0);
  const owner = { runId, pid: options.pid ?? process.pid, host: options.host ?? hostname() };
  const timeoutMs = options.timeoutMs ?? DEFAULT_LEASE_TIMEOUT_MS;
  for (;;) {
    const outcome = await ledger.acquireLease(key, owner, { timeoutMs });
    if (outcome.acquired) return { held: true, lease: outcome.lease };
    const left = deadline - now();
    if (left <= 0 || options.signal?.aborted === true) return { held: false, holder: outcome.holder };
    await sleep(Math.min(250, left), options.signal);
  }
}
