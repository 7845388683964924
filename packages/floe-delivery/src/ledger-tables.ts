import type { Knex } from 'knex';

/** The table of runs (one row per run, updated by each attempt). */
export const RUNS_TABLE = '_floe_runs';
/** The table of batch records (one row per batch of a run). */
export const LEDGER_TABLE = '_floe_ledger';
/** The table of run leases (one row per leased destination while a process delivers it). */
export const LEASES_TABLE = '_floe_leases';

/** A ledger table name, qualified with the schema when there is one. */
export function ledgerTableName(table: string, schema: string | undefined): string {
  return schema === undefined ? table : `${schema}.${table}`;
}

/** True for the error of creating a table (or schema) another process just created. */
export function isAlreadyExists(error: unknown): boolean {
  const record = error as { code?: unknown; message?: unknown };
  // PostgreSQL duplicate table / unique violation on pg_type (concurrent CREATE), MySQL ER_TABLE_EXISTS_ERROR, SQLite.
  return (
    record.code === '42P07' ||
    record.code === '23505' ||
    record.code === 'ER_TABLE_EXISTS_ERROR' ||
    /already exists/i.test(String(record.message))
  );
}

/**
 * Creates `_floe_runs`, `_floe_ledger` and `_floe_leases` when missing (PostgreSQL, MySQL/MariaDB, SQLite). Two processes
 * creating them at once is fine: the loser's "already exists" is ignored.
 */
export async function ensureLedgerTables(knex: Knex, schema: string | undefined): Promise<void> {
  const builder = (): Knex.SchemaBuilder => (schema === undefined ? knex.schema : knex.schema.withSchema(schema));
  const create = async (table: string, define: (t: Knex.CreateTableBuilder) => void): Promise<void> => {
    if (await builder().hasTable(table)) return;
    try {
      await builder().createTable(table, define);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
  };
  await create(RUNS_TABLE, (t) => {
    t.string('run_id', 255).primary();
    t.string('run_key', 64).notNullable();
    t.string('destination', 255).notNullable();
    t.string('product', 255).nullable();
    t.string('sink_type', 64).notNullable();
    t.text('target').notNullable();
    t.text('source_table').notNullable();
    t.string('snapshot_id', 32).nullable();
    t.integer('batch_size').notNullable();
    t.string('disposition', 16).notNullable();
    t.bigInteger('total_rows').notNullable();
    t.string('status', 16).notNullable();
    t.integer('attempts').notNullable();
    t.string('last_attempt_id', 64).notNullable();
    t.string('host', 255).notNullable();
    t.integer('pid').notNullable();
    t.string('started_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('finished_at', 32).nullable();
    t.text('changes').nullable();
    t.index(['destination', 'started_at']);
  });
  await create(LEDGER_TABLE, (t) => {
    t.string('run_id', 255).notNullable();
    t.integer('batch_index').notNullable();
    t.string('run_key', 64).notNullable();
    t.bigInteger('first_row').notNullable();
    t.integer('row_count').notNullable();
    t.string('idempotency_key', 128).notNullable();
    t.string('snapshot_id', 32).nullable();
    t.string('state', 16).notNullable();
    t.integer('rows_done').notNullable();
    t.integer('rows_delivered').notNullable();
    t.integer('rows_rejected').notNullable();
    t.string('recorded_at', 32).notNullable();
    t.primary(['run_id', 'batch_index']);
  });
  // Tables made by earlier versions get the newer columns: runs keyed by product + destination (null = any
  // product), a sync run's change counts (JSON).
  const addColumn = async (column: string, define: (t: Knex.AlterTableBuilder) => void): Promise<void> => {
    if (await builder().hasColumn(RUNS_TABLE, column)) return;
    try {
      await builder().alterTable(RUNS_TABLE, define);
    } catch (error) {
      if (!/duplicate column|already exists/i.test(String((error as { message?: unknown }).message))) throw error;
    }
  };
  await addColumn('product', (t) => t.string('product', 255).nullable());
  await addColumn('changes', (t) => t.text('changes').nullable());
  await create(LEASES_TABLE, (t) => {
    t.string('lease_key', 255).primary();
    t.string('token', 64).notNullable();
    t.string('run_id', 255).notNullable();
    t.string('host', 255).notNullable();
    t.integer('pid').notNullable();
    // Milliseconds since the epoch, by the holder's clock.
    t.bigInteger('acquired_at').notNullable();
    t.bigInteger('heartbeat_at').notNullable();
  });
}
