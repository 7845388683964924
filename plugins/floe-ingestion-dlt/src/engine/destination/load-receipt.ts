import type { Span } from '@opentelemetry/api';
import { EgressResult } from '@floe/core';
import { recordEgressResult } from '../tracing/egress-span.js';
import type { Destination } from './destination.js';
import type { LoadClock } from './load-options.js';
import { loadIdempotencyKey } from './load-keys.js';
import type { LoadTally } from './load-tally.js';
import type { PayloadLedger } from './payload-ledger.js';
import { ATTR_SINK_RECORD_IDS_TOTAL, ATTR_SINK_RECORD_IDS_TRUNCATED } from './record-ids.js';

/** What a finished load tells {@link loadReceipt}. */
export interface FinishedLoad {
  readonly destination: Destination;
  readonly tally: LoadTally;
  readonly payloads: PayloadLedger;
  readonly batchKeys: readonly string[];
  /** The caller's key for the whole load, if any. */
  readonly idempotencyKey: string | undefined;
  readonly clock: LoadClock;
  /** `clock.now()` when the load started. */
  readonly started: number;
}

/** The load's receipt, also recorded on its span (with whether record ids were left out of it). */
export function loadReceipt(span: Span, load: FinishedLoad): EgressResult {
  const { tally, payloads, clock } = load;
  const success = tally.failure === undefined && tally.errors.length === 0;
  const result = new EgressResult({
    success,
    rowsDelivered: tally.rowsDelivered,
    bytesTransmitted: payloads.bytes,
    durationSeconds: Math.max(0, (clock.now() - load.started) / 1000),
    // A failed load that sent nothing has no payload to check (not the checksum of an empty one).
    checksum: success || payloads.bytes > 0 ? payloads.digest() : '',
    deliveryTimestamp: clock.date(),
    idempotencyKey: load.idempotencyKey ?? loadIdempotencyKey(load.destination.identity, load.batchKeys),
    destinationRecordIds: tally.recordIds.ids,
    errors: tally.errors,
    ...(tally.rowsSkipped > 0 && { rowsSkipped: tally.rowsSkipped }),
  });
  recordEgressResult(span, result);
  span.setAttributes({
    [ATTR_SINK_RECORD_IDS_TOTAL]: tally.recordIds.total,
    [ATTR_SINK_RECORD_IDS_TRUNCATED]: tally.recordIds.truncated,
  });
  return result;
}
