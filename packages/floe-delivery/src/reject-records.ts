import type { Knex } from 'knex';
import type { RecordedReject } from '@floe/core';
import { ledgerTableName } from './ledger-tables.js';

/** The table of rejected rows (one row per rejected source row of a run). */
export const REJECTS_TABLE = '_floe_rejects';

/**
 * Creates `_floe_rejects` when missing, beside `_floe_runs` and `_floe_ledger`: run id, batch index and source
 * row (the key: a row is recorded once however often a resumed batch meets it), the row's key, the reason and
 * its category. Two processes creating it at once is fine.
 */
export async function ensureRejectsTable(knex: Knex, schema: string | undefined): Promise<void> {
  const builder = (): Knex.SchemaBuilder => (schema === undefined ? knex.schema : knex.schema.withSchema(schema));
  if (await builder().hasTable(REJECTS_TABLE)) return;
  try {
    await builder().createTable(REJECTS_TABLE, (t) => {
      t.string('run_id', 255).notNullable();
      t.integer('batch_index').notNullable();
      t.bigInteger('source_row').notNullable();
      t.text('row_key').nullable();
      t.text('reason').notNullable();
      t.string('category', 16).notNullable();
      t.integer('http_status').nullable();
      t.primary(['run_id', 'batch_index', 'source_row']);
    });
  } catch (error) {
    if (!(await builder().hasTable(REJECTS_TABLE))) throw error;
  }
}

/**
 * The statement recording `rejects` of run `runId`; rows already recorded are left as they are (a resumed batch
 * meets them again), so it can run in every transaction of a batch. Run it in the transaction that records the
 * batch part the rows belong to.
 */
export function insertRejectsQuery(
  knex: Knex,
  schema: string | undefined,
  runId: string,
  rejects: readonly RecordedReject[],
): Knex.QueryBuilder {
  const rows = rejects.map((reject) => ({
    run_id: runId,
    batch_index: reject.batchIndex,
    source_row: reject.row,
    row_key: reject.key ?? null,
    reason: reject.reason,
    category: reject.category,
    http_status: reject.httpStatus ?? null,
  }));
  return knex(ledgerTableName(REJECTS_TABLE, schema))
    .insert(rows)
    .onConflict(['run_id', 'batch_index', 'source_row'])
    .ignore();
}

/** Every rejected row recorded for run `runId`, by batch index, in row order. */
export async function readRejects(
  knex: Knex,
  schema: string | undefined,
  runId: string,
): Promise<Map<number, RecordedReject[]>> {
  const rows = await knex(ledgerTableName(REJECTS_TABLE, schema))
    .where({ run_id: runId })
    .orderBy([{ column: 'batch_index' }, { column: 'source_row' }])
    .select<
      {
        batch_index: number | string;
        source_row: number | string;
        row_key: string | null;
        reason: string;
        category: string;
        http_status: number | string | null;
      }[]
    >('batch_index', 'source_row', 'row_key', 'reason', 'category', 'http_status');
  const byBatch = new Map<number, RecordedReject[]>();
  for (const row of rows) {
    const batchIndex = Number(row.batch_index);
    const list = byBatch.get(batchIndex) ?? [];
    list.push({
      batchIndex,
      row: Number(row.source_row),
      ...(row.row_key !== null && { key: row.row_key }),
      reason: row.reason,
      category: row.category,
      ...(row.http_status !== null && { httpStatus: Number(row.http_status) }),
    });
    byBatch.set(batchIndex, list);
  }
  return byBatch;
}

/** Forgets the rejected rows recorded for run `runId` (its batches were discarded). */
export async function discardRejects(knex: Knex, schema: string | undefined, runId: string): Promise<void> {
  if (await (schema === undefined ? knex.schema : knex.schema.withSchema(schema)).hasTable(REJECTS_TABLE)) {
    await knex(ledgerTableName(REJECTS_TABLE, schema)).where({ run_id: runId }).delete();
  }
}
