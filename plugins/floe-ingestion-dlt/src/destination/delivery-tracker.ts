import { IngestionError } from '../errors/ingestion-error.js';
import type { DeliveryLedger, LedgerBatch, LedgerEntry, LedgerRunState } from '../ledger/types.js';
import type { Destination } from './destination.js';
import type { BatchJob, ValidOutcome } from './run-batch.js';

/** Delivery with a ledger (see `LoadOptions.delivery`): the run begun with `ledger.begin(...)`. */
export interface DeliveryOptions {
  readonly ledger: DeliveryLedger;
  /** What `ledger.begin()` returned: the run and the batches earlier attempts recorded. */
  readonly state: LedgerRunState;
}

/** What the engine does with a batch of a ledgered run. */
export type BatchDecision =
  { readonly skip: true } | { readonly skip: false; readonly entry: LedgerEntry; readonly resend: boolean };

/**
 * The engine's side of the delivery ledger: skips batches an earlier attempt committed (their rows are
 * still read, so batch `i` stays rows `[i·batchSize, …)`), re-sends intended ones with the same key, records
 * each batch as intended before it is sent and as committed once acknowledged. A recorded batch whose rows
 * or key differ from the batch now read means the source no longer reads the same: the load stops.
 */
export class DeliveryTracker {
  readonly runKey: string;
  readonly #options: DeliveryOptions;
  readonly #destination: Destination;

  constructor(options: DeliveryOptions, destination: Destination) {
    this.#options = options;
    this.#destination = destination;
    this.runKey = options.state.run.runKey;
  }

  /** Decides for batch `index` (rows `[firstRow, firstRow + rowCount)`, key `idempotencyKey`). */
  decide(batch: LedgerBatch): BatchDecision {
    const { state } = this.#options;
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

  /** Records the batch as intended (durably, before it is sent). */
  intended(job: BatchJob): Promise<void> {
    return this.#options.ledger.markIntended(this.#options.state.run.runId, ledgerBatch(job));
  }

  /** Records an acknowledged batch as committed. */
  committed(job: BatchJob, outcome: ValidOutcome): Promise<void> {
    // The batch record counts every row of the batch the destination holds, earlier attempts' included.
    return this.#options.ledger.markCommitted(this.#options.state.run.runId, {
      ...ledgerBatch(job),
      rowsDelivered: job.batch.numRows - outcome.rejected.length,
      rowsRejected: outcome.rejected.length,
    });
  }

  /** The destination's rollback undid every batch: their records go too. */
  discarded(): Promise<void> {
    return this.#options.ledger.discardBatches(this.#options.state.run.runId);
  }

  /** True when the destination writes batch records in its own transactions. */
  get inTransaction(): boolean {
    return this.#options.ledger.inTransaction;
  }

  #check(recorded: LedgerBatch, batch: LedgerBatch): void {
    if (
      recorded.firstRow === batch.firstRow &&
      recorded.rowCount === batch.rowCount &&
      recorded.idempotencyKey === batch.idempotencyKey
    )
      return;
    throw new IngestionError(
      `batch ${batch.batchIndex} of run ${this.#options.state.run.runId} is not the batch an earlier attempt recorded ` +
        `(rows ${recorded.firstRow}..${recorded.firstRow + recorded.rowCount - 1}, key ${recorded.idempotencyKey}; now rows ` +
        `${batch.firstRow}..${batch.firstRow + batch.rowCount - 1}, key ${batch.idempotencyKey}): the source no longer reads the same; ` +
        'nothing more is sent — start the run over',
      {
        category: 'CONFIGURATION',
        code: 'LEDGER_SOURCE_MISMATCH',
        sinkType: this.#destination.sinkType,
        destination: this.#destination.name,
      },
    );
  }
}

function ledgerBatch(job: BatchJob): LedgerBatch {
  return {
    batchIndex: job.index,
    firstRow: job.firstRow,
    rowCount: job.batch.numRows,
    idempotencyKey: job.idempotencyKey,
  };
}
