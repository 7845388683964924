import type { DeliveryState, LedgerBatch, LedgerEntry, RecordedReject, SyncDeltaRow } from '@floe/core';
import { DeliveryError } from './delivery-error.js';
import { batchIdempotencyKey } from './run-key.js';

/** What a connector does with a batch of a ledgered run (see {@link DeliveryTracker.decide}). */
export type BatchDecision =
  | { readonly skip: true }
  | {
      readonly skip: false;
      /** What a transactional destination writes in its ledger with the batch (`inTransaction` ledgers). */
      readonly entry: LedgerEntry;
      /** True when an earlier attempt recorded the batch as intended: it is re-sent with the same key. */
      readonly resend: boolean;
    };

/**
 * A connector's side of the delivery protocol: it skips batches an earlier attempt committed (their rows are
 * still read, so batch `i` stays rows `[i·batchSize, …)`), re-sends intended ones with the same key, records
 * each batch as intended before it is sent and as committed once acknowledged. A recorded batch whose rows
 * or key differ from the batch now read means the source no longer reads the same: the write must stop.
 *
 * @example
 * ```ts
 * const tracker = options.delivery && new DeliveryTracker(options.delivery);
 * for (const [index, batch] of batches.entries()) {
 *   const planned = { batchIndex: index, firstRow: index * size, rowCount: batch.numRows,
 *     idempotencyKey: tracker?.keyOf(index) ?? fallbackKey(index) };
 *   if (tracker?.decide(planned).skip) continue;
 *   await tracker?.intended(planned);
 *   await send(batch);
 *   await tracker?.committed(planned, { rowsDelivered: batch.numRows, rowsRejected: 0 });
 * }
 * ```
 */
export class DeliveryTracker {
  readonly runKey: string;
  readonly #delivery: DeliveryState;
  readonly #destination: string | undefined;

  constructor(delivery: DeliveryState, options: { readonly destination?: string } = {}) {
    this.#delivery = delivery;
    this.#destination = options.destination;
    this.runKey = delivery.state.run.runKey;
  }

  /** The run's id. */
  get runId(): string {
    return this.#delivery.state.run.runId;
  }

  /** The idempotency key of batch `index` of this run: the same on every attempt. */
  keyOf(index: number): string {
    return batchIdempotencyKey(this.runKey, index);
  }

  /** True when the destination writes batch records in its own transactions (marks are then no-ops). */
  get inTransaction(): boolean {
    return this.#delivery.ledger.inTransaction;
  }

  /** Decides for one batch of the run (rows `[firstRow, firstRow + rowCount)`, key `idempotencyKey`). */
  decide(batch: LedgerBatch): BatchDecision {
    const { state } = this.#delivery;
    const committed = state.committed.get(batch.batchIndex);
    if (committed !== undefined) {
      this.#check(committed, batch);
      return { skip: true };
    }
    const recorded = state.intended.get(batch.batchIndex) ?? state.partial.get(batch.batchIndex);
    if (recorded !== undefined) this.#check(recorded, batch);
    const partial = state.partial.get(batch.batchIndex);
    return {
      skip: false,
      resend: recorded !== undefined,
      entry: {
        ...batch,
        runId: state.run.runId,
        runKey: state.run.runKey,
        snapshotId: state.run.snapshotId,
        rowsDone: partial?.rowsDone ?? 0,
        rowsDeliveredEarlier: partial?.rowsDelivered ?? 0,
      },
    };
  }

  /** Records the batch as intended (durably, before its first byte is sent). */
  intended(batch: LedgerBatch): Promise<void> {
    return this.#delivery.ledger.markIntended(this.runId, plain(batch));
  }

  /**
   * Records an acknowledged batch as committed. `rowsDelivered` counts every row of the batch the destination
   * holds, earlier attempts' included; `rejected`, the rows it refused, recorded in the same commit (a resumed run
   * reports them again, see `LedgerRunState.rejected`). A sync write passes `sync`, the handled change rows
   * (`syncDeltaOf`, rejected rows left out): a state-store ledger records them as pending sync state in the
   * same commit.
   */
  committed(
    batch: LedgerBatch,
    counts: {
      readonly rowsDelivered: number;
      readonly rowsRejected: number;
      readonly rejected?: readonly RecordedReject[];
      readonly sync?: readonly SyncDeltaRow[];
    },
  ): Promise<void> {
    return this.#delivery.ledger.markCommitted(this.runId, { ...plain(batch), ...counts });
  }

  /** The destination's rollback undid every batch (a `replace` whose new table was dropped): their records go too. */
  discarded(): Promise<void> {
    return this.#delivery.ledger.discardBatches(this.runId);
  }

  #check(recorded: LedgerBatch, batch: LedgerBatch): void {
    if (
      recorded.firstRow === batch.firstRow &&
      recorded.rowCount === batch.rowCount &&
      recorded.idempotencyKey === batch.idempotencyKey
    )
      return;
    throw new DeliveryError(
      `batch ${batch.batchIndex} of run ${this.runId} is not the batch an earlier attempt recorded ` +
        `(rows ${recorded.firstRow}..${recorded.firstRow + recorded.rowCount - 1}, key ${recorded.idempotencyKey}; now rows ` +
        `${batch.firstRow}..${batch.firstRow + batch.rowCount - 1}, key ${batch.idempotencyKey}): the source no longer reads the same; ` +
        'nothing more is sent — start the run over',
      'LEDGER_SOURCE_MISMATCH',
      { ...(this.#destination !== undefined && { destination: this.#destination }) },
    );
  }
}

function plain(batch: LedgerBatch): LedgerBatch {
  return {
    batchIndex: batch.batchIndex,
    firstRow: batch.firstRow,
    rowCount: batch.rowCount,
    idempotencyKey: batch.idempotencyKey,
  };
}
