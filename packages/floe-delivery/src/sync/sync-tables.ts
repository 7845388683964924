import type { Knex } from 'knex';
import { isAlreadyExists, ledgerTableName } from '../ledger-tables.js';

/** Sync scopes: an integer id per product + destination, with the state's meta. */
export const SYNC_SCOPES_TABLE = '_floe_sync_scopes';
/** Synced records: scope id, key, 8-byte fingerprint, destination id. */
export const SYNC_STATE_TABLE = '_floe_sync_state';
/** Handled change rows of runs not yet folded into the state. */
export const SYNC_PENDING_TABLE = '_floe_sync_pending';

/** The SQL dialects the sync state speaks. */
export type SyncDialect = 'sqlite' | 'postgres' | 'mysql';

/** The dialect of a knex instance (better-sqlite3 / sqlite3, pg, mysql2 / mysql). */
export function syncDialectOf(knex: Knex): SyncDialect {
  const dialect = (knex.client as { dialect?: string }).dialect;
  if (dialect === 'sqlite3' || dialect === 'better-sqlite3') return 'sqlite';
  if (dialect === 'postgresql' || dialect === 'pg') return 'postgres';
  if (dialect === 'mysql' || dialect === 'mysql2') return 'mysql';
  throw new Error(`the sync state does not support the knex dialect ${String(dialect)}`);
}

/**
 * Longest key (UTF-8 bytes) MySQL/MariaDB can hold: its index keys are at most 3072 bytes, and the pending
 * table's primary key is run id (255 × 4) + scope id + key.
 */
export const MYSQL_MAX_KEY_BYTES = 1800;

function ddl(dialect: SyncDialect, q: (table: string) => string): string[] {
  const scopes = q(SYNC_SCOPES_TABLE);
  const state = q(SYNC_STATE_TABLE);
  const pending = q(SYNC_PENDING_TABLE);
  switch (dialect) {
    case 'sqlite':
      // WITHOUT ROWID: the records live in the primary key's b-tree (no second copy of the key).
      return [
        `CREATE TABLE IF NOT EXISTS ${scopes} (scope_id INTEGER PRIMARY KEY, destination TEXT NOT NULL, product TEXT NOT NULL DEFAULT '', snapshot_id TEXT, table_uuid TEXT, signature TEXT, failed_files TEXT, records INTEGER NOT NULL DEFAULT 0, updated_at TEXT, UNIQUE (destination, product))`,
        `CREATE TABLE IF NOT EXISTS ${state} (scope_id INTEGER NOT NULL, k TEXT NOT NULL, fp BLOB NOT NULL, dest_id TEXT, PRIMARY KEY (scope_id, k)) WITHOUT ROWID`,
        `CREATE TABLE IF NOT EXISTS ${pending} (run_id TEXT NOT NULL, scope_id INTEGER NOT NULL, k TEXT NOT NULL, batch_index INTEGER NOT NULL, fp BLOB, dest_id TEXT, recorded_at TEXT NOT NULL, PRIMARY KEY (run_id, scope_id, k)) WITHOUT ROWID`,
      ];
    case 'postgres':
      // COLLATE "C": keys compare and sort as bytes, as on SQLite and MySQL (varbinary).
      return [
        `CREATE TABLE IF NOT EXISTS ${scopes} (scope_id serial PRIMARY KEY, destination varchar(255) NOT NULL, product varchar(255) NOT NULL DEFAULT '', snapshot_id varchar(32), table_uuid varchar(64), signature varchar(255), failed_files text, records bigint NOT NULL DEFAULT 0, updated_at varchar(32), UNIQUE (destination, product))`,
        `CREATE TABLE IF NOT EXISTS ${state} (scope_id integer NOT NULL, k text COLLATE "C" NOT NULL, fp bytea NOT NULL, dest_id text, PRIMARY KEY (scope_id, k))`,
        `CREATE TABLE IF NOT EXISTS ${pending} (run_id varchar(255) NOT NULL, scope_id integer NOT NULL, k text COLLATE "C" NOT NULL, batch_index integer NOT NULL, fp bytea, dest_id text, recorded_at varchar(32) NOT NULL, PRIMARY KEY (run_id, scope_id, k))`,
      ];
    case 'mysql':
      // varbinary keys: exact, byte-wise comparison (no case folding, no trailing-space padding).
      return [
        `CREATE TABLE IF NOT EXISTS ${scopes} (scope_id int NOT NULL AUTO_INCREMENT PRIMARY KEY, destination varchar(255) NOT NULL, product varchar(255) NOT NULL DEFAULT '', snapshot_id varchar(32) NULL, table_uuid varchar(64) NULL, signature varchar(255) NULL, failed_files longtext NULL, records bigint NOT NULL DEFAULT 0, updated_at varchar(32) NULL, UNIQUE KEY floe_sync_scope (destination, product)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
        `CREATE TABLE IF NOT EXISTS ${state} (scope_id int NOT NULL, k varbinary(${MYSQL_MAX_KEY_BYTES}) NOT NULL, fp binary(8) NOT NULL, dest_id text NULL, PRIMARY KEY (scope_id, k)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
        `CREATE TABLE IF NOT EXISTS ${pending} (run_id varchar(255) NOT NULL, scope_id int NOT NULL, k varbinary(${MYSQL_MAX_KEY_BYTES}) NOT NULL, batch_index int NOT NULL, fp binary(8) NULL, dest_id text NULL, recorded_at varchar(32) NOT NULL, PRIMARY KEY (run_id, scope_id, k)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
      ];
  }
}

/**
 * Creates `_floe_sync_scopes`, `_floe_sync_state` and `_floe_sync_pending` when missing. Idempotent, and safe
 * when two processes race (`IF NOT EXISTS`; PostgreSQL's concurrent-create error is ignored).
 */
export async function ensureSyncTables(knex: Knex, schema: string | undefined): Promise<void> {
  const dialect = syncDialectOf(knex);
  const q = (table: string): string => knex.raw('??', [ledgerTableName(table, schema)]).toQuery();
  for (const statement of ddl(dialect, q)) {
    try {
      await knex.raw(statement);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
  }
}
