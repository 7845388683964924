import type { EgressResult, RejectedRows, WriteProgress } from '@floe/core';
import type { EncodedRows } from '@floe/core';
import { allowedRejects, type MaxRejected } from './max-rejected.js';
import type { RejectedRowsFile } from './rejected-rows-file.js';

/** What a destination's rejected rows came to: the file, and why the run stopped early, if it did. */
export interface RejectSummary {
  /** The rejected-rows file and the rows in it; absent when no row was rejected. */
  readonly rejected?: { readonly file: string; readonly rows: number; readonly error?: string };
  /** Set when `--max-rejected` stopped the destination. */
  readonly stopped?: { readonly reason: string; readonly maxRejected: string; readonly allowed: number };
}

/**
 * Keeps one destination's rejected rows: writes each batch's rejected rows to its
 * {@link RejectedRowsFile} (`onRejected`), and, with `--max-rejected`, aborts `signal` as soon as
 * the progress counts more rejected rows than allowed (`onProgress`). The write then stops before
 * its next batch (batches already in flight finish), and the receipt says what was delivered.
 */
export class RejectTracking {
  readonly #file: RejectedRowsFile;
  readonly #max: MaxRejected | undefined;
  readonly #allowed: number | undefined;
  readonly #controller = new AbortController();
  #stopped: string | undefined;
  #fileError: string | undefined;

  constructor(file: RejectedRowsFile, options: { max?: MaxRejected | undefined; sourceRows: number }) {
    this.#file = file;
    this.#max = options.max;
    this.#allowed = options.max === undefined ? undefined : allowedRejects(options.max, options.sourceRows);
  }

  /** Aborted when `--max-rejected` is exceeded. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** For `WriteOptions.onRejected`. */
  readonly onRejected = (rejected: RejectedRows): void => {
    try {
      this.#file.add(rejected);
    } catch (error) {
      this.#fileError ??= error instanceof Error ? error.message : String(error);
    }
  };

  /** For `WriteOptions.onProgress`. */
  readonly onProgress = (progress: WriteProgress): void => {
    if (this.#allowed === undefined || this.#stopped !== undefined || progress.rowsRejected <= this.#allowed) return;
    const percent = this.#max?.kind === 'percent' ? ` (${this.#max.text} of the source rows)` : '';
    this.#stopped =
      `stopped by --max-rejected ${this.#max?.text ?? ''}: ${rows(progress.rowsRejected)} rejected, ` +
      `more than the ${this.#allowed} allowed${percent}; no further batch was sent`;
    this.#controller.abort(new Error(this.#stopped));
  };

  /** Adds the receipt's rejected rows the connector did not hand over, and sums up. */
  finish(receipt: EgressResult | undefined): RejectSummary {
    try {
      if (receipt !== undefined) this.#file.addMissing(receipt.errors);
    } catch (error) {
      this.#fileError ??= error instanceof Error ? error.message : String(error);
    }
    const rows = this.#file.rows;
    return {
      ...((rows > 0 || this.#fileError !== undefined) && {
        rejected: { file: this.#file.path, rows, ...(this.#fileError !== undefined && { error: this.#fileError }) },
      }),
      ...(this.#stopped !== undefined &&
        this.#max !== undefined && {
          stopped: { reason: this.#stopped, maxRejected: this.#max.text, allowed: this.#allowed ?? 0 },
        }),
    };
  }
}

/** One row's values, as a JSON object text, from what an engine's `encodeRows` returns. */
export function rowJson(encoded: EncodedRows): string | undefined {
  const text = encoded.json?.[0];
  if (text !== undefined) return text;
  const row = encoded.rows[0];
  return row === undefined
    ? undefined
    : JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

/** `1 row`, `2 rows`. */
export function rows(count: number): string {
  return `${count} ${count === 1 ? 'row' : 'rows'}`;
}
