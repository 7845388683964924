import type { DeliveryOutcome } from '../egress/deliver.js';
import { connectionValues } from '../egress/connection.js';
import type { PreparedDestination } from '../egress/prepare-destination.js';
import type { RunState } from './run-state.js';

/**
 * `--preview N`: after the run, the first `limit` rows read back from each destination that was delivered
 * (through its descriptor's read-only `readBack`), or why it cannot be read back.
 */
export async function previewDestinations(
  state: RunState,
  outcomes: readonly { readonly prepared: PreparedDestination; readonly outcome: DeliveryOutcome }[],
  limit: number,
): Promise<void> {
  const { reporter } = state;
  for (const { prepared: p, outcome } of outcomes) {
    if (outcome.status !== 'delivered' && outcome.status !== 'partial') continue;
    const descriptor = state.engine.descriptor(p.planned.sinkType);
    const connection = p.secret ? connectionValues(descriptor, p.secret, state.project.paths.baseDir) : {};
    const preview =
      descriptor?.readBack === undefined
        ? { ok: false as const, reason: `a ${p.planned.sinkType} destination cannot be read back` }
        : await descriptor.readBack(p.planned.config, connection, limit).catch((error: unknown) => ({
            ok: false as const,
            reason: `cannot read it back: ${(error as Error).message}`,
          }));
    reporter.preview(p, preview, limit);
  }
}
