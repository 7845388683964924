import type { BatchRecord } from '@floe/delivery';
import type { LedgerEntry } from '@floe/core';
import type { LedgerStatement, SqlDestinationLedger } from '../sql-ledger.js';

/**
 * The ledger side of one batch of a `sql_database` load: a batch is written in one transaction, or — when
 * the database refuses rows for their values — in several (see `writeIsolatingRejects`), always in row
 * order, so what is done is a prefix of the batch's candidate rows. Each transaction records how far the
 * batch got (`rowsDone`, rows delivered so far); the one that reaches the end records it `committed`. A rerun
 * skips the first `rowsDone` candidate rows of a `partial` batch.
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

  /**
   * `candidates`: the batch's rows to write, in order (rows refused before writing excluded);
   * `refused`: how many rows were refused before writing.
   */
  constructor(ledger: SqlDestinationLedger, entry: LedgerEntry, candidates: Int32Array, refused: number) {
    this.#ledger = ledger;
    this.#entry = entry;
    this.#candidates = candidates;
    this.#refused = refused;
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

  /** The record a transaction writing `part` adds (built before the transaction, run inside it). */
  statement(part: Int32Array): Promise<LedgerStatement> {
    return this.#ledger.statement(this.#entry, this.#record(this.end(part), this.#delivered + part.length));
  }

  /** True when the batch's record shows `part` written (a COMMIT whose answer was lost did take effect). */
  async recorded(part: Int32Array): Promise<boolean> {
    return ((await this.#ledger.rowsDone(this.#entry)) ?? -1) >= this.end(part);
  }

  /** `part` is committed (with its record). */
  written(part: Int32Array): void {
    this.#delivered += part.length;
    if (this.end(part) === this.#candidates.length) this.#committed = true;
  }

  /** After every part: records the batch `committed` when no data transaction did (its last rows were refused). */
  async finish(): Promise<void> {
    if (this.#committed) return;
    await this.#ledger.record(this.#entry, this.#record(this.#candidates.length, this.#delivered));
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
