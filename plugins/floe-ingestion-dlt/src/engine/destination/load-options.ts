import type { Span } from '@opentelemetry/api';
import type { DeliveryState, WriteOptions } from '@floe/core';
import type { RecordIdOptions } from './record-ids.js';

/** Time source of a load (inject a fake one in tests). */
export interface LoadClock {
  /** Monotonic milliseconds (for durations). */
  now(): number;
  /** Wall-clock time (for `deliveryTimestamp`). */
  date(): Date;
}

/** Options of {@link loadToDestination}: the `write()` options plus mapping, batch size and tracing. */
export interface LoadOptions extends WriteOptions, RecordIdOptions {
  /** Source column → destination field (renaming; other columns pass unchanged). */
  readonly fieldMapping?: Readonly<Record<string, string>>;
  /** Overrides the destination's rows per batch (0 = everything in one batch). */
  readonly batchSize?: number;
  /** The operation span to record on and parent batch spans to; default: a new `sink.load` span. */
  readonly span?: Span;
  readonly clock?: LoadClock;
  /**
   * Deliver with a ledger: batches the run's earlier attempts committed are skipped (still read), intended
   * ones are re-sent with the same idempotency key, every batch is recorded as intended before it is sent and
   * as committed once acknowledged; batch keys derive from the run key. See `DeliveryLedger`.
   */
  readonly delivery?: DeliveryState;
}
