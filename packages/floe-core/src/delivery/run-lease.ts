import type { DeliveryLedger } from './delivery-ledger.js';

/** Who holds (or asks for) a run lease: the run, and the process delivering it. */
export interface LeaseOwner {
  /** The run the owner delivers (its id may still be planned, e.g. `<attempt>/<destination>`). */
  readonly runId: string;
  readonly pid: number;
  readonly host: string;
}

/** A lease as its store shows it: its owner and when the owner last proved it is alive. */
export interface LeaseHolder extends LeaseOwner {
  readonly acquiredAt: Date;
  readonly heartbeatAt: Date;
}

/** A lease this process holds; it is kept alive by a heartbeat until released. */
export interface RunLease {
  /** What is leased (product and destination). */
  readonly key: string;
  /** True once another process took the lease over (this one stopped heartbeating for too long). */
  readonly lost: boolean;
  /** Stops the heartbeat and frees the lease (only if still held). Idempotent, never throws. */
  release(): Promise<void>;
}

/** Options of {@link LeasingLedger.acquireLease}. */
export interface AcquireLeaseOptions {
  /**
   * A holder whose heartbeat is older than this is presumed dead and its lease taken over (milliseconds).
   * A holder on this host whose process is gone is taken over at once.
   */
  readonly timeoutMs: number;
}

/** The outcome of {@link LeasingLedger.acquireLease}: the lease, or who holds it. */
export type LeaseAcquisition =
  { readonly acquired: true; readonly lease: RunLease } | { readonly acquired: false; readonly holder: LeaseHolder };

/**
 * The lease capability of a ledger: a run is delivered by one process at a time. The lease lives in the same
 * store as the ledger (a state store, or the destination database for a destination ledger), so every
 * process that could resume the run sees it.
 */
export interface LeasingLedger extends DeliveryLedger {
  /** Takes the lease `key` for `owner` if it is free, expired, or held by a dead process on this host. */
  acquireLease(key: string, owner: LeaseOwner, options: AcquireLeaseOptions): Promise<LeaseAcquisition>;
}

/**
 * Runtime capability detection: can `ledger` lease runs?
 *
 * @example
 * ```ts
 * if (isLeasingLedger(ledger)) await ledger.acquireLease('crm', owner, { timeoutMs: 30_000 });
 * ```
 */
export function isLeasingLedger(ledger: DeliveryLedger): ledger is LeasingLedger {
  return typeof (ledger as { acquireLease?: unknown }).acquireLease === 'function';
}
