import type { Destination } from './destination.js';
import type { LoadTally } from './load-tally.js';
import type { LoadContext, RollbackOutcome } from './types.js';

/**
 * Ends the load with the destination's hooks: commits it unless it failed; rolls it back if it failed (a failing
 * commit included). A rollback that undid every batch (`discarded: 'all'`) empties the tally's deliveries and
 * returns true.
 */
export async function commitOrRollback(
  destination: Destination,
  context: LoadContext,
  tally: LoadTally,
): Promise<boolean> {
  if (tally.failure === undefined) {
    try {
      await destination.hooks.commit?.(context);
    } catch (error) {
      tally.fail(error);
    }
  }
  if (tally.failure !== undefined) {
    const outcome = await rollback(destination, context, tally.failure);
    if (outcome?.discarded === 'all') {
      tally.discardDelivered();
      return true;
    }
  }
  return false;
}

async function rollback(
  destination: Destination,
  context: LoadContext,
  error: unknown,
): Promise<RollbackOutcome | undefined> {
  try {
    return (await destination.hooks.rollback?.(context, error)) ?? undefined;
  } catch {
    // Rollback must not throw; a failing one leaves the load failed, as it already is.
    return undefined;
  }
}
