import { isLeasingLedger, isSyncStateLedger, isVerifyingLedger } from '@floe/core';
import type {
  AcquireLeaseOptions,
  CommittedBatch,
  LeaseAcquisition,
  LeaseOwner,
  DeliveryLedger,
  LedgerBatch,
  LedgerRun,
  LedgerRunInit,
  LedgerRunState,
  LedgerRunStatus,
  ListRunsFilter,
} from '@floe/core';

/**
 * A ledger whose records are also copied to a second one: the `primary` (e.g. the `_floe_ledger` a SQL
 * destination keeps in its own transactions) decides what is committed; the `mirror` (e.g. the local state
 * store, for `floe egress runs`) gets the same records on a best-effort basis — a mirror failure never
 * fails a delivery. `sync` (when the primary keeps sync state), `latestRun`, `begin`, `finish`, `listRuns` and `acquireLease` (when the primary leases) answer from the primary; `close()` closes
 * neither (their owners do).
 */
export function mirroredLedger(primary: DeliveryLedger, mirror: DeliveryLedger): DeliveryLedger {
  const leasing = isLeasingLedger(primary)
    ? {
        // The lease lives with the records that decide: in the primary.
        acquireLease: (key: string, owner: LeaseOwner, options: AcquireLeaseOptions): Promise<LeaseAcquisition> =>
          primary.acquireLease(key, owner, options),
      }
    : {};
  const verifying = isVerifyingLedger(primary)
    ? {
        checkDestination: (destination: string, latest: LedgerRun | undefined): Promise<string | undefined> =>
          primary.checkDestination(destination, latest),
      }
    : {};
  // The sync state lives with the records that decide too.
  const syncing = isSyncStateLedger(primary) ? { sync: primary.sync } : {};
  const quietly = async (action: () => Promise<unknown>): Promise<void> => {
    try {
      await action();
    } catch {
      // The mirror is informational.
    }
  };
  return {
    ...leasing,
    ...verifying,
    ...syncing,
    location: primary.location,
    inTransaction: primary.inTransaction,
    latestRun: (destination: string, options?: { readonly product?: string }): Promise<LedgerRun | undefined> =>
      primary.latestRun(destination, options),
    async begin(init: LedgerRunInit): Promise<LedgerRunState> {
      const state = await primary.begin(init);
      await quietly(async () => {
        await mirror.begin(init);
        // Bring the mirror up to date with what the primary knows.
        for (const batch of state.committed.values()) await mirror.markCommitted(init.runId, withoutSync(batch));
      });
      return state;
    },
    async markIntended(runId: string, batch: LedgerBatch): Promise<void> {
      await primary.markIntended(runId, batch);
      await quietly(() => mirror.markIntended(runId, batch));
    },
    async markCommitted(runId: string, batch: CommittedBatch): Promise<void> {
      await primary.markCommitted(runId, batch);
      // The mirror keeps no sync state of this destination: the primary's is the one.
      await quietly(() => mirror.markCommitted(runId, withoutSync(batch)));
    },
    async discardBatches(runId: string): Promise<void> {
      await primary.discardBatches(runId);
      await quietly(() => mirror.discardBatches(runId));
    },
    async finish(runId: string, status: LedgerRunStatus): Promise<LedgerRun | undefined> {
      const run = await primary.finish(runId, status);
      await quietly(() => mirror.finish(runId, status));
      return run;
    },
    listRuns: (filter?: ListRunsFilter): Promise<LedgerRun[]> => primary.listRuns(filter),
    /** Closes nothing: each part is closed by its owner (the sink, the caller). */
    async close(): Promise<void> {},
  };
}

function withoutSync(batch: CommittedBatch): CommittedBatch {
  if (batch.sync === undefined) return batch;
  const { sync: _sync, ...rest } = batch;
  return rest;
}
