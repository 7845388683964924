import type { SqlDialectName } from '../connection-url.js';
import type { NamedColumn } from '../encode/unrepresentable.js';
import type { QualifiedName } from '../identifiers.js';
import type { LedgerStatement } from '../sql-ledger.js';
import type { ChunkPool } from '../encode/chunk-pool.js';
import type { IsolationProgress } from '../../../engine/destination/types.js';

/** OpenTelemetry `db.system.name` values. */
export type DbSystemName = 'postgresql' | 'mysql' | 'mariadb' | 'sqlite';

/** A column of an existing table, as the database describes it. */
export interface ExistingColumn {
  readonly name: string;
  /** The type as the database spells it (PostgreSQL `format_type`, MySQL `COLUMN_TYPE`, SQLite's declared type). */
  readonly type: string;
  readonly nullable: boolean;
}

/** An existing table. */
export interface ExistingTable {
  readonly columns: readonly ExistingColumn[];
  /** Column lists of the primary key and every unique index. */
  readonly uniqueKeys: readonly (readonly string[])[];
}

/** A column to create. */
export interface ColumnDefinition {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
}

/** One transaction's worth of rows. */
export interface WriteRequest {
  readonly table: QualifiedName;
  readonly columns: readonly NamedColumn[];
  /** Batch row indexes to write, in order. */
  readonly rows: Int32Array;
  /** The target columns' types as the database spells them, in column order (PostgreSQL: enables binary COPY). */
  readonly columnTypes?: readonly string[];
  /** Upsert on these columns (merge); absent = plain insert. Ignored with {@link WriteRequest.sync}. */
  readonly upsertKey?: readonly string[];
  /** The rows are change rows of a sync write, each applied by its op (see {@link SyncOps}). */
  readonly sync?: SyncOps;
  /**
   * Work to run in the same transaction on the raw driver connection, after the rows and before the ledger
   * statements (the batch part's pending sync state, see `SqlDestinationLedger.syncWork`).
   */
  readonly inTransaction?: TransactionWork;
  /** True when a retry of an attempt whose commit outcome is unknown may not duplicate rows. */
  readonly idempotent: boolean;
  readonly signal: AbortSignal;
  /** The delivery ledger's record of these rows: run in the same transaction, after the rows, before COMMIT. */
  readonly ledger?: LedgerStatement;
  /** The rows of the batch refused so far and not yet recorded: run with {@link WriteRequest.ledger}, before it. */
  readonly ledgerRejects?: readonly LedgerStatement[];
  /**
   * Isolate in this transaction (dialects with {@link SqlDialect.isolatesInTransaction}): each row is written under
   * a savepoint of its own, a row the database refuses for its values is left out, and the transaction commits the
   * others. Called with the refused rows (positions within {@link WriteRequest.rows}, in order) once every row was
   * tried, it returns the ledger statements to run before COMMIT (which then replace `ledger` / `ledgerRejects`).
   */
  readonly isolate?: (refused: readonly RefusedRow[]) => Promise<IsolatedStatements>;
  /** Told how far an isolating write got (see `IsolationPace`): at the start, as it goes, at the end. */
  readonly onIsolating?: (progress: IsolationProgress) => void;
  /** Where PostgreSQL's binary COPY takes its chunk buffers (reused across the load's batches). */
  readonly chunkPool?: ChunkPool;
}

/** A row the database refused inside an isolating write (see {@link WriteRequest.isolate}). */
export interface RefusedRow {
  /** Position within the request's rows. */
  readonly position: number;
  /** The database's error (`code`, `message`, `detail`, as the driver reports them). */
  readonly error: Error;
}

/** The ledger statements of an isolating write (see {@link WriteRequest.isolate}). */
export interface IsolatedStatements {
  readonly ledger?: LedgerStatement;
  readonly ledgerRejects?: readonly LedgerStatement[];
  /** Replaces {@link WriteRequest.inTransaction}. */
  readonly inTransaction?: TransactionWork;
}

/** Work run inside a write's open transaction with its raw driver connection (`pg.Client`, mysql2, better-sqlite3). */
export type TransactionWork = (connection: unknown) => Promise<void>;

/** What a change row asks for, by code (see `SyncOp`). */
export const OP_INSERT = 0;
export const OP_UPDATE = 1;
export const OP_UPSERT = 2;
export const OP_DELETE = 3;

/**
 * The change ops of a sync write's rows: `insert` (a key already there is refused as that row), `upsert` (on
 * `key`), `update` (existing records only: a row whose key is not in the table is skipped — neither written nor
 * refused), `delete` (by `key`; with `softDeleteColumn`, that column is set to the row's value of it instead).
 * One transaction applies every op of the request, set-based where the dialect can.
 */
export interface SyncOps {
  /** The op code of every batch row (indexed like the batch: {@link OP_INSERT} …). */
  readonly ops: Uint8Array;
  /** The op column itself (utf8 `insert` / `update` / `upsert` / `delete`), for dialects that stage it. */
  readonly opColumn: NamedColumn;
  /** The record's identity: destination column names (a primary key or unique index of the table). */
  readonly key: readonly string[];
  /** Archive: the timestamp column a `delete` row sets (to its value in {@link WriteRequest.columns}). */
  readonly softDeleteColumn?: string;
  /** Told, once the rows are applied (before COMMIT), how many `update` rows found no record. */
  readonly onSkipped: (rows: number) => void;
}

/**
 * What the `sql_database` sink needs from a database family. One transaction per {@link SqlDialect.write}:
 * it either commits every row or none (throwing an `AttemptFailure` that may name the suspect rows).
 */
export interface SqlDialect {
  readonly name: SqlDialectName;
  /** Connects, learns the server (MariaDB or MySQL) and the default schema. */
  connect(): Promise<void>;
  /** `db.system.name` (known after {@link SqlDialect.connect}). */
  readonly system: DbSystemName;
  /** The schema unqualified names resolve to (known after {@link SqlDialect.connect}). */
  readonly defaultSchema: string | undefined;
  describe(table: QualifiedName): Promise<ExistingTable | undefined>;
  createTable(table: QualifiedName, columns: readonly ColumnDefinition[], primaryKey: readonly string[]): Promise<void>;
  addColumns(table: QualifiedName, columns: readonly ColumnDefinition[]): Promise<void>;
  /** Creates `staging` shaped like the existing `target` (columns, defaults, keys, indexes). */
  createTableLike(staging: QualifiedName, target: QualifiedName): Promise<void>;
  /** Atomically puts `staging` in place of `target` (which may not exist) and drops the old table. */
  swap(target: QualifiedName, staging: QualifiedName): Promise<void>;
  dropTable(table: QualifiedName): Promise<void>;
  /** Names of the tables in `schema` (default: the default schema) whose name starts with `prefix`. */
  tablesStartingWith(schema: string | undefined, prefix: string): Promise<string[]>;
  /** True when {@link WriteRequest.isolate} is supported (PostgreSQL: row by row under savepoints, server-side). */
  readonly isolatesInTransaction?: boolean;
  /** Writes rows in one transaction and returns the payload bytes sent. */
  write(request: WriteRequest): Promise<Buffer[]>;
}
