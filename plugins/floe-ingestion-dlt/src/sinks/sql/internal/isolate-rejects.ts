import { AttemptFailure } from './attempt-failure.js';

/** A row the database refused, with the error that isolated it. */
export interface IsolatedReject {
  /** The row's index within the batch. */
  readonly index: number;
  readonly error: unknown;
}

/** Options of {@link writeIsolatingRejects}. */
export interface IsolateOptions {
  /** Writes `rows` in one transaction (all or nothing); throws on failure, an {@link AttemptFailure} may name suspects. */
  readonly attempt: (rows: Int32Array) => Promise<void>;
  /** True for failures caused by row values (split the rows); anything else is re-thrown. */
  readonly isRowError: (error: unknown) => boolean;
  readonly signal?: AbortSignal;
  /** Called as soon as a row stands alone refused (before the parts after it are attempted). */
  readonly onReject?: (reject: IsolatedReject) => void;
  /**
   * Writes `rows` in one transaction that leaves out (and records) the rows refused for their values, returning
   * them; tried once, on the first part that fails with a row error. A row error from it (a value the database
   * cannot even take in) falls back to splitting.
   */
  readonly isolate?: (rows: Int32Array) => Promise<IsolatedReject[]>;
}

/**
 * Writes `rows`, isolating the rows the database refuses for their values: when a transaction fails with a
 * row error, its rows are split — around the suspect the database named (the rows before it, the suspect
 * alone, the rows after it), or else in halves — and each part is tried again in a transaction of its own,
 * until the failing rows stand alone. Every row is either written exactly once or returned as a reject;
 * parts are written in row order. With {@link IsolateOptions.isolate} (PostgreSQL), the first failing part is
 * instead written by one transaction that leaves its refused rows out, whatever their share.
 *
 * @example
 * ```ts
 * const rejects = await writeIsolatingRejects(rows, { attempt: (part) => copyRows(part), isRowError });
 * ```
 */
export async function writeIsolatingRejects(rows: Int32Array, options: IsolateOptions): Promise<IsolatedReject[]> {
  const rejects: IsolatedReject[] = [];
  const pending: Int32Array[] = rows.length === 0 ? [] : [rows];
  let isolate = options.isolate;
  while (pending.length > 0) {
    options.signal?.throwIfAborted();
    const part = pending.pop() as Int32Array;
    try {
      await options.attempt(part);
    } catch (error) {
      if (!options.isRowError(error)) throw error;
      if (isolate !== undefined && part.length > 1) {
        const tried = isolate;
        isolate = undefined;
        try {
          rejects.push(...(await tried(part)));
          continue;
        } catch (failure) {
          if (!options.isRowError(failure)) throw failure;
        }
      }
      if (part.length === 1) {
        const reject = { index: part[0] as number, error };
        rejects.push(reject);
        options.onReject?.(reject);
        continue;
      }
      // Pushed in reverse: the stack pops them in row order.
      for (const piece of split(part, error).reverse()) pending.push(piece);
    }
  }
  return rejects;
}

function split(part: Int32Array, error: unknown): Int32Array[] {
  const suspect = error instanceof AttemptFailure ? error.suspect : undefined;
  if (suspect !== undefined) {
    const from = Math.max(0, Math.min(part.length, suspect[0]));
    const to = Math.max(from, Math.min(part.length, suspect[1]));
    if (to > from && to - from < part.length) {
      return [part.subarray(0, from), part.subarray(from, to), part.subarray(to)].filter((piece) => piece.length > 0);
    }
  }
  const half = Math.ceil(part.length / 2);
  return [part.subarray(0, half), part.subarray(half)];
}
