/** How a sync run found its changes. */
export type SyncDiffPath = 'incremental' | 'full-scan' | 'full-resync' | 'all-rows';

/**
 * What a sync run found to do, counted before anything is sent (in the plan, the receipt and `egress runs`).
 *
 * @example
 * ```ts
 * const counts: SyncChangeCounts = { path: 'incremental', reason: 'snapshot 2 descends from 1', inserts: 10, updates: 2, deletes: 1, unchanged: 987 };
 * ```
 */
export interface SyncChangeCounts {
  readonly path: SyncDiffPath;
  /** Why this path (e.g. `snapshot 123 expired: full-scan diff`). */
  readonly reason: string;
  readonly inserts: number;
  readonly updates: number;
  readonly deletes: number;
  /** Rows read and found unchanged (an incremental diff does not read unchanged files: they are not counted). */
  readonly unchanged: number;
}
