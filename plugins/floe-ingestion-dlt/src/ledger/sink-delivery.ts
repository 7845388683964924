import type { DltSink } from '../dlt-sink.js';
import { deliveryRunKey } from './run-key.js';
import type { DeliveryLedger } from './types.js';

/** What a run reads, besides the sink. */
export interface SinkRunParts {
  readonly sourceTable: string;
  readonly snapshotId: string | null;
  /** The write disposition (`append`, `merge`, `replace`). */
  readonly disposition: string;
}

/**
 * The run key of a delivery through `sink` (see {@link deliveryRunKey}): its name, its destination's identity
 * (no secrets), its batch size and field mapping, plus what it reads and how it writes.
 *
 * @example
 * ```ts
 * const runKey = sinkRunKey(sink, { sourceTable: 'gold.customers', snapshotId: '42', disposition: 'append' });
 * ```
 */
export function sinkRunKey(sink: DltSink, parts: SinkRunParts): string {
  return deliveryRunKey({
    destination: sink.name,
    identity: sink.destination.identity,
    batchSize: sink.destination.batchSize,
    ...(sink.config.fieldMapping !== undefined && { fieldMapping: sink.config.fieldMapping }),
    ...parts,
  });
}

/**
 * The ledger `sink` keeps in its own destination, written in its batch transactions (a `sql_database` sink
 * with `append` or `merge`), or `undefined` when the caller must bring a state store.
 */
export function sinkLedger(sink: DltSink): DeliveryLedger | undefined {
  return sink.destination.ledger;
}
