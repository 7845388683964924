import type { IsolationProgress } from '../../../engine/destination/types.js';

/** Rows between two reports of an isolation's progress (PostgreSQL: rows per server-side loop). */
export const ISOLATION_REPORT_ROWS = 1_000;
/** Most milliseconds between two reports while rows are checked one by one. */
export const ISOLATION_REPORT_MS = 1_000;

/**
 * Paces the reports of one isolation (see `BatchContext.onIsolating`): one at the start, then at least every
 * {@link ISOLATION_REPORT_ROWS} rows or {@link ISOLATION_REPORT_MS} ms, and one when every row was checked. Does
 * nothing without `report`.
 *
 * @example
 * ```ts
 * const pace = new IsolationPace(rows.length, request.onIsolating);
 * for (let r = 0; r < rows.length; r++) { tryRow(r); pace.checked(r + 1, refused.length); }
 * ```
 */
export class IsolationPace {
  readonly #total: number;
  readonly #report: ((progress: IsolationProgress) => void) | undefined;
  readonly #now: () => number;
  #lastRows = 0;
  #lastAt: number;

  constructor(
    total: number,
    report: ((progress: IsolationProgress) => void) | undefined,
    now = () => performance.now(),
  ) {
    this.#total = total;
    this.#report = report;
    this.#now = now;
    this.#lastAt = now();
    report?.({ rowsChecked: 0, rowsTotal: total, rejectedSoFar: 0 });
  }

  /** `rows` rows were checked, `rejected` of them refused: reported when it is time (always for the last row). */
  checked(rows: number, rejected: number): void {
    if (this.#report === undefined) return;
    const due =
      rows >= this.#total ||
      rows - this.#lastRows >= ISOLATION_REPORT_ROWS ||
      this.#now() - this.#lastAt >= ISOLATION_REPORT_MS;
    if (!due || rows === this.#lastRows) return;
    this.#lastRows = rows;
    this.#lastAt = this.#now();
    this.#report({ rowsChecked: rows, rowsTotal: this.#total, rejectedSoFar: rejected });
  }
}
