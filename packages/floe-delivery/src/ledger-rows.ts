import type {
  CommittedBatch,
  LedgerBatch,
  LedgerRun,
  LedgerRunInit,
  LedgerRunStatus,
  PartialBatch,
  SyncChangeCounts,
} from '@floe/core';

/** A `_floe_runs` row as the drivers return it (64-bit numbers may be strings). */
export interface RunRow {
  run_id: string;
  run_key: string;
  destination: string;
  /** Null for runs recorded before runs were keyed by product. */
  product?: string | null;
  sink_type: string;
  target: string;
  source_table: string;
  snapshot_id: string | null;
  batch_size: number | string;
  disposition: string;
  total_rows: number | string;
  status: string;
  attempts: number | string;
  last_attempt_id: string;
  host: string;
  pid: number | string;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
  /** A sync run's change counts (JSON); null for other runs and rows of earlier versions. */
  changes?: string | null;
}

/** A `_floe_ledger` row as the drivers return it. */
export interface BatchRow {
  run_id: string;
  batch_index: number | string;
  run_key: string;
  first_row: number | string;
  row_count: number | string;
  idempotency_key: string;
  snapshot_id: string | null;
  state: string;
  rows_done: number | string;
  rows_delivered: number | string;
  rows_rejected: number | string;
  recorded_at: string;
}

/** Batch states in `_floe_ledger.state`. */
export type BatchState = 'intended' | 'partial' | 'committed';

/** Per-run sums over `_floe_ledger`. */
export interface RunTotals {
  readonly batchesCommitted: number;
  readonly rowsDelivered: number;
  readonly rowsRejected: number;
}

/** Batches of a run: `ceil(rows / batchSize)`, one batch when batchSize is 0 (and rows exist). */
export function batchesTotal(totalRows: number, batchSize: number): number {
  if (totalRows <= 0) return 0;
  return batchSize <= 0 ? 1 : Math.ceil(totalRows / batchSize);
}

/** The `_floe_runs` row of a new run. */
export function newRunRow(init: LedgerRunInit, at: string, host: string, pid: number): RunRow {
  return {
    run_id: init.runId,
    run_key: init.runKey,
    destination: init.destination,
    product: init.product ?? null,
    sink_type: init.sinkType,
    target: init.target,
    source_table: init.sourceTable,
    snapshot_id: init.snapshotId,
    batch_size: init.batchSize,
    disposition: init.disposition,
    total_rows: init.totalRows,
    status: 'running',
    attempts: 1,
    last_attempt_id: init.attemptId,
    host,
    pid,
    started_at: at,
    updated_at: at,
    finished_at: null,
    changes: init.changes === undefined ? null : JSON.stringify(init.changes),
  };
}

/** A run from its row and its batch totals. */
export function runFromRow(row: RunRow, totals: RunTotals | undefined): LedgerRun {
  const totalRows = Number(row.total_rows);
  const batchSize = Number(row.batch_size);
  return {
    runId: row.run_id,
    runKey: row.run_key,
    destination: row.destination,
    ...(row.product !== null && row.product !== undefined && { product: row.product }),
    sinkType: row.sink_type,
    target: row.target,
    sourceTable: row.source_table,
    snapshotId: row.snapshot_id,
    batchSize,
    disposition: row.disposition,
    totalRows,
    status: row.status as LedgerRunStatus,
    attempts: Number(row.attempts),
    lastAttemptId: row.last_attempt_id,
    host: row.host,
    pid: Number(row.pid),
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    ...(typeof row.changes === 'string' && { changes: JSON.parse(row.changes) as SyncChangeCounts }),
    batchesTotal: batchesTotal(totalRows, batchSize),
    batchesCommitted: totals?.batchesCommitted ?? 0,
    rowsDelivered: totals?.rowsDelivered ?? 0,
    rowsRejected: totals?.rowsRejected ?? 0,
  };
}

function batchOf(row: BatchRow): LedgerBatch {
  return {
    batchIndex: Number(row.batch_index),
    firstRow: Number(row.first_row),
    rowCount: Number(row.row_count),
    idempotencyKey: row.idempotency_key,
  };
}

/** Sorts batch rows into committed, intended and partial batches. */
export function classifyBatches(rows: readonly BatchRow[]): {
  committed: Map<number, CommittedBatch>;
  intended: Map<number, LedgerBatch>;
  partial: Map<number, PartialBatch>;
} {
  const committed = new Map<number, CommittedBatch>();
  const intended = new Map<number, LedgerBatch>();
  const partial = new Map<number, PartialBatch>();
  for (const row of rows) {
    const batch = batchOf(row);
    if (row.state === 'committed') {
      committed.set(batch.batchIndex, {
        ...batch,
        rowsDelivered: Number(row.rows_delivered),
        rowsRejected: Number(row.rows_rejected),
      });
    } else if (row.state === 'partial') {
      partial.set(batch.batchIndex, {
        ...batch,
        rowsDone: Number(row.rows_done),
        rowsDelivered: Number(row.rows_delivered),
      });
    } else {
      intended.set(batch.batchIndex, batch);
    }
  }
  return { committed, intended, partial };
}
