import type { BatchRecord } from '@floe/delivery';
import type { LedgerEntry, RecordedReject } from '@floe/core';
import type { TransactionWork } from '../dialects/sql-dialect.js';
import type { LedgerStatement, SqlDestinationLedger } from '../sql-ledger.js';

/** Builds the work recording a transaction's handled change rows (batch row indexes) as pending sync state. */
export type PendingSyncWork = (handled: Int32Array) => Promise<TransactionWork | undefined>;

/**
 * The ledger side of one batch of a `sql_database` load: a batch is written in one transaction, or — when
 * the database refuses rows for their values — in several (see `writeIsolatingRejects`), always in row
 * order, so what is done is a prefix of the batch's candidate rows. Each transaction records how far the
 * batch got (`rowsDone`, rows delivered so far); the one that reaches the end records it `committed`. A rerun
 * skips the first `rowsDone` candidate rows of a `partial` batch. The rows refused so far ride along: each
 * transaction also records, in `_floe_rejects`, every refused row not yet recorded — the rows refused before
 * writing in the first one, a row isolated alone in the next one (whose `rowsDone` covers it) — so a rejected
 * row is recorded in the same commit as the progress that passes it. A sync write's transactions also record the
 * change rows they handled (written, skipped or deleted; not the refused ones) as pending sync state
 * (`pendingSync`), so a row's state commits with the row.
 */
export class LedgerParts {
  /** Candidate rows an earlier attempt handled: skip them. */
  readonly skip: number;
  readonly #ledger: SqlDestinationLedger;
  readonly #entry: LedgerEntry;
  readonly #candidates: Int32Array;
  readonly #refused: number;
  #delivered = 0;
  #committed = false;
  /** Refused rows not yet recorded; the first `#sending` of them ride in the transaction being written. */
  #pending: RecordedReject[];
  #sending = 0;
  readonly #pendingSync: PendingSyncWork | undefined;

  /**
   * `candidates`: the batch's rows to write, in order (rows refused before writing excluded);
   * `refused`: the rows refused before writing (recorded by the first transaction); `pendingSync`: a sync write's
   * pending state of the rows a transaction handled.
   */
  constructor(
    ledger: SqlDestinationLedger,
    entry: LedgerEntry,
    candidates: Int32Array,
    refused: readonly RecordedReject[],
    pendingSync?: PendingSyncWork,
  ) {
    this.#ledger = ledger;
    this.#pendingSync = pendingSync;
    this.#pending = [...refused];
    this.#entry = entry;
    this.#candidates = candidates;
    this.#refused = refused.length;
    this.skip = Math.min(Math.max(0, entry.rowsDone), candidates.length);
  }

  /** The candidate rows still to write. */
  get remaining(): Int32Array {
    return this.#candidates.subarray(this.skip);
  }

  /** Rows this call delivered so far. */
  get delivered(): number {
    return this.#delivered;
  }

  /** Position just after `part` (a `subarray` of the candidates) among the candidates. */
  end(part: Int32Array): number {
    return (part.byteOffset - this.#candidates.byteOffset) / part.BYTES_PER_ELEMENT + part.length;
  }

  /** A candidate row the database refused alone: recorded by the next transaction of the batch. */
  rejected(reject: RecordedReject): void {
    this.#pending.push(reject);
  }

  /**
   * The record a transaction writing `part` adds, and the refused rows it records (built before the transaction,
   * run inside it). `refusedInPart`: rows of `part` an isolating transaction left out (recorded by it, not delivered).
   */
  async statements(
    part: Int32Array,
    refusedInPart: readonly RecordedReject[] = [],
  ): Promise<{
    ledger: LedgerStatement;
    rejects: LedgerStatement[] | undefined;
    inTransaction: TransactionWork | undefined;
  }> {
    this.#sending = this.#pending.length;
    const record = this.#record(this.end(part), this.#delivered + part.length - refusedInPart.length);
    let inTransaction: TransactionWork | undefined;
    if (this.#pendingSync !== undefined) {
      const out = new Set(refusedInPart.map((reject) => reject.row - this.#entry.firstRow));
      inTransaction = await this.#pendingSync(out.size === 0 ? part : part.filter((index) => !out.has(index)));
    }
    return {
      ledger: await this.#ledger.statement(this.#entry, record),
      rejects: await this.#ledger.rejectsStatement(this.#entry, [
        ...this.#pending.slice(0, this.#sending),
        ...refusedInPart,
      ]),
      inTransaction,
    };
  }

  /** True when the batch's record shows `part` written (a COMMIT whose answer was lost did take effect). */
  async recorded(part: Int32Array): Promise<boolean> {
    return ((await this.#ledger.rowsDone(this.#entry)) ?? -1) >= this.end(part);
  }

  /** `part` is committed (with its record), less `refused` rows an isolating transaction left out. */
  written(part: Int32Array, refused = 0): void {
    this.#delivered += part.length - refused;
    this.#pending = this.#pending.slice(this.#sending);
    this.#sending = 0;
    if (this.end(part) === this.#candidates.length) this.#committed = true;
  }

  /** After every part: records the batch `committed` when no data transaction did (its last rows were refused). */
  async finish(): Promise<void> {
    if (this.#committed && this.#pending.length === 0) return;
    await this.#ledger.record(this.#entry, this.#record(this.#candidates.length, this.#delivered), this.#pending);
    this.#pending = [];
    this.#committed = true;
  }

  #record(end: number, delivered: number): BatchRecord {
    const rowsDelivered = this.#entry.rowsDeliveredEarlier + delivered;
    return {
      state: end === this.#candidates.length ? 'committed' : 'partial',
      rowsDone: end,
      rowsDelivered,
      // Every handled candidate row is delivered or refused by the database; rows refused before writing count too.
      rowsRejected: this.#refused + end - rowsDelivered,
    };
  }
}
