import type { DeliveryLedger, LedgerRun } from './delivery-ledger.js';

/**
 * The drift check of a destination ledger: does the destination still look like the one the ledger
 * describes? A ledger kept in the destination (`_floe_ledger` beside the target table) can be out of step
 * with it — the table dropped, truncated or recreated, or the ledger tables dropped while the table remains —
 * and a run resumed (or started) on a ledger that no longer describes the table would deliver wrong data.
 */
export interface VerifyingLedger extends DeliveryLedger {
  /**
   * Checks the destination against `latest`, the newest run the ledger has of `destination` (`undefined`: none).
   * Returns what changed (e.g. `the target table crm.contacts holds 0 rows, fewer than the 20000 rows run R
   * delivered into it (truncated?)`), or `undefined` when they agree.
   */
  checkDestination(destination: string, latest: LedgerRun | undefined): Promise<string | undefined>;
}

/**
 * Runtime capability detection: can `ledger` check its destination for drift?
 *
 * @example
 * ```ts
 * const drift = isVerifyingLedger(ledger) ? await ledger.checkDestination('crm', latest) : undefined;
 * ```
 */
export function isVerifyingLedger(ledger: DeliveryLedger): ledger is VerifyingLedger {
  return typeof (ledger as { checkDestination?: unknown }).checkDestination === 'function';
}
