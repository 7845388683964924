import type { Knex } from 'knex';
import type { SyncDeltaRow, SyncScope, SyncStateMeta, SyncStateRecord, SyncStateStore } from '@floe/core';
import { DeliveryError } from '../delivery-error.js';
import { ledgerTableName } from '../ledger-tables.js';
import {
  MYSQL_MAX_KEY_BYTES,
  SYNC_PENDING_TABLE,
  SYNC_SCOPES_TABLE,
  SYNC_STATE_TABLE,
  ensureSyncTables,
  syncDialectOf,
  type SyncDialect,
} from './sync-tables.js';

/** Options of {@link KnexSyncState}. */
export interface KnexSyncStateOptions {
  /** For messages: where the state is (no credentials). */
  readonly location: string;
  /** PostgreSQL schema / MySQL database of the tables; absent = the connection's default. */
  readonly schema?: string;
  /** Creates `schema` when missing (a state store's `?schema=`). */
  readonly createSchema?: boolean;
  /** Wall clock (tests). */
  readonly now?: () => Date;
  /**
   * Reads only (`egress plan`): creates no table, schema or scope, reads what is missing as empty (never synced),
   * and refuses every write.
   */
  readonly readOnly?: boolean;
}

interface ScopeRow {
  scope_id: number | string;
  snapshot_id: string | null;
  table_uuid: string | null;
  signature: string | null;
  failed_files: string | null;
  records: number | string;
  updated_at: string | null;
}

interface StateRow {
  k: string | Buffer;
  fp: Buffer;
  dest_id: string | null;
}

const FINGERPRINT = /^[0-9a-f]{16}$/;

/** Bound values a statement may carry, below each driver's limit (SQLite 32766, PostgreSQL / MySQL 65535). */
function bindLimit(knex: Knex, dialect: SyncDialect): number {
  if (dialect !== 'sqlite') return 60000;
  // node-sqlite3 may link an SQLite older than 3.32 (limit 999); better-sqlite3 bundles a recent one.
  return (knex.client as { driverName?: string }).driverName === 'better-sqlite3' ? 32000 : 999;
}

function fingerprintBytes(fingerprint: string): Buffer {
  if (!FINGERPRINT.test(fingerprint)) {
    throw new DeliveryError(
      `sync fingerprint ${JSON.stringify(fingerprint)} is not 16 lowercase hex digits`,
      'SYNC_STATE_INVALID',
      { category: 'PERMANENT' },
    );
  }
  return Buffer.from(fingerprint, 'hex');
}

/**
 * A destination's sync state ({@link SyncStateStore}) in three tables of any database knex speaks (SQLite,
 * PostgreSQL, MySQL/MariaDB): `_floe_sync_scopes` (an integer id per product + destination and the state's
 * meta), `_floe_sync_state` (per record: scope id, key, 8-byte fingerprint, destination id — about 30 bytes
 * on disk for a short key on SQLite) and `_floe_sync_pending` (handled rows of runs not yet settled). Keys
 * compare as exact strings and sort byte-wise on every dialect. Tables are created on first use.
 *
 * @example
 * ```ts
 * const state = new KnexSyncState(knex, { location: 'sqlite:.floe/state.db' });
 * const scope = { product: 'customers', destination: 'crm' };
 * await state.settle(scope, { exceptRunId: runId });          // before the diff
 * const known = await state.lookup(scope, ['1', '2']);
 * await state.addPending(scope, runId, 0, [{ key: '1', fingerprint: '0123456789abcdef' }]);
 * await state.settle(scope, { runId, meta: { snapshotId: '7', signature: 'sig', failedFiles: [] } });
 * ```
 */
export class KnexSyncState implements SyncStateStore {
  readonly location: string;
  readonly #knex: Knex;
  readonly #schema: string | undefined;
  readonly #dialect: SyncDialect;
  readonly #options: KnexSyncStateOptions;
  readonly #scopeIds = new Map<string, number>();
  #ready: Promise<void> | undefined;
  #created = false;
  /** Read-only: the tables do not exist (nothing was ever synced here). */
  #absent = false;

  constructor(knex: Knex, options: KnexSyncStateOptions) {
    this.#knex = knex;
    this.#schema = options.schema;
    this.#dialect = syncDialectOf(knex);
    this.location = options.location;
    this.#options = options;
  }

  /**
   * Creates the tables when missing (idempotent; safe when two processes race). Every method calls it but
   * {@link addPendingIn}, which runs in the caller's transaction: call it once before.
   */
  ensureTables(): Promise<void> {
    if (this.#options.readOnly === true) {
      this.#ready ??= (async () => {
        const schema = this.#schema === undefined ? this.#knex.schema : this.#knex.schema.withSchema(this.#schema);
        this.#absent = !(await schema.hasTable(SYNC_SCOPES_TABLE));
      })().catch((error: unknown) => {
        this.#ready = undefined;
        throw error;
      });
      return this.#ready;
    }
    const create = async (): Promise<void> => {
      if (this.#options.createSchema === true && this.#schema !== undefined && this.#dialect === 'postgres')
        await this.#knex.schema.createSchemaIfNotExists(this.#schema);
      await ensureSyncTables(this.#knex, this.#schema);
      this.#created = true;
    };
    this.#ready ??= create().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async meta(scope: SyncScope): Promise<SyncStateMeta | undefined> {
    await this.ensureTables();
    if (this.#absent) return undefined;
    const row = await this.#table(SYNC_SCOPES_TABLE)
      .where({ destination: scope.destination, product: scope.product ?? '' })
      .first<ScopeRow | undefined>();
    if (row === undefined || row.signature === null) return undefined;
    return {
      snapshotId: row.snapshot_id,
      ...(row.table_uuid !== null && { tableUuid: row.table_uuid }),
      signature: row.signature,
      records: Number(row.records),
      failedFiles: row.failed_files === null ? [] : (JSON.parse(row.failed_files) as string[]),
      updatedAt: row.updated_at ?? '',
    };
  }

  async lookup(scope: SyncScope, keys: readonly string[]): Promise<Map<string, SyncStateRecord>> {
    const found = new Map<string, SyncStateRecord>();
    if (keys.length === 0) return found;
    await this.ensureTables();
    const scopeId = await this.#readScopeId(scope);
    if (scopeId === undefined) return found;
    const chunk = this.#dialect === 'mysql' ? bindLimit(this.#knex, this.#dialect) - 1 : 100_000;
    for (let start = 0; start < keys.length; start += chunk) {
      const slice = keys.slice(start, start + chunk);
      let rows: StateRow[];
      if (this.#dialect === 'sqlite') {
        // One bound JSON array instead of a bound value per key: no bind limit, and far less binding work.
        rows = this.#rows<StateRow>(
          await this.#knex.raw(
            // CROSS JOIN fixes the join order: a primary-key probe per key, never a scan of the scope.
            'SELECT s.k AS k, s.fp AS fp, s.dest_id AS dest_id FROM json_each(?) AS j CROSS JOIN ?? AS s WHERE s.scope_id = ? AND s.k = j.value',
            [JSON.stringify(slice), this.#name(SYNC_STATE_TABLE), scopeId],
          ),
        );
      } else if (this.#dialect === 'postgres') {
        rows = this.#rows<StateRow>(
          await this.#knex.raw('SELECT k, fp, dest_id FROM ?? WHERE scope_id = ? AND k = ANY(?::text[])', [
            this.#name(SYNC_STATE_TABLE),
            scopeId,
            slice,
          ]),
        );
      } else {
        rows = await this.#table(SYNC_STATE_TABLE)
          .where({ scope_id: scopeId })
          .whereIn('k', slice)
          .select<StateRow[]>('k', 'fp', 'dest_id');
      }
      for (const row of rows) {
        const record = this.#record(row);
        found.set(record.key, record);
      }
    }
    return found;
  }

  async *records(scope: SyncScope, options: { readonly pageSize?: number } = {}): AsyncIterable<SyncStateRecord[]> {
    await this.ensureTables();
    const scopeId = await this.#readScopeId(scope);
    if (scopeId === undefined) return;
    const pageSize = Math.max(1, options.pageSize ?? 10_000);
    let after: string | undefined;
    for (;;) {
      let query = this.#table(SYNC_STATE_TABLE).where({ scope_id: scopeId });
      if (after !== undefined) query = query.where('k', '>', after);
      const rows = await query.orderBy('k').limit(pageSize).select<StateRow[]>('k', 'fp', 'dest_id');
      if (rows.length === 0) return;
      const page = rows.map((row) => this.#record(row));
      yield page;
      if (rows.length < pageSize) return;
      after = page[page.length - 1]!.key;
    }
  }

  async addPending(scope: SyncScope, runId: string, batchIndex: number, rows: readonly SyncDeltaRow[]): Promise<void> {
    this.#writable();
    if (rows.length === 0) return;
    await this.ensureTables();
    await this.#knex.transaction((trx) => this.addPendingIn(trx, scope, runId, batchIndex, rows));
  }

  /**
   * {@link addPending} inside the caller's transaction (a SQL destination's batch transaction, a state
   * store's commit mark): the pending rows commit or roll back with it. Writing a key again for the same run
   * replaces its row.
   */
  async addPendingIn(
    trx: Knex.Transaction,
    scope: SyncScope,
    runId: string,
    batchIndex: number,
    rows: readonly SyncDeltaRow[],
  ): Promise<void> {
    this.#writable();
    if (rows.length === 0) return;
    if (!this.#created) {
      // Creating tables inside the caller's transaction would commit it on MySQL (implicit commit of DDL).
      throw new DeliveryError(
        `the sync state tables of ${this.location} are not ready: call ensureTables() before addPendingIn()`,
        'SYNC_STATE_INVALID',
        { category: 'PERMANENT' },
      );
    }
    const scopeId = await this.#scopeId(trx, scope);
    const recordedAt = this.#now();
    // A key twice in one call: the last row wins, as when written by two calls.
    const byKey = new Map<string, SyncDeltaRow>();
    for (const row of rows) byKey.set(row.key, row);
    const records = [...byKey.values()].map((row) => {
      this.#checkKey(row.key);
      return {
        run_id: runId,
        scope_id: scopeId,
        k: row.key,
        batch_index: batchIndex,
        fp: row.fingerprint === null ? null : fingerprintBytes(row.fingerprint),
        dest_id: row.destinationId ?? null,
        recorded_at: recordedAt,
      };
    });
    const chunk = Math.floor(bindLimit(this.#knex, this.#dialect) / 7);
    for (let start = 0; start < records.length; start += chunk) {
      const slice = records.slice(start, start + chunk);
      if (this.#dialect === 'sqlite') {
        // knex writes a multi-row SQLite insert as a compound SELECT (at most 500 terms): VALUES lists have no such limit.
        await trx.raw(
          `INSERT INTO ?? (run_id, scope_id, k, batch_index, fp, dest_id, recorded_at) VALUES ${slice.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (run_id, scope_id, k) DO UPDATE SET batch_index = excluded.batch_index, fp = excluded.fp, dest_id = excluded.dest_id, recorded_at = excluded.recorded_at`,
          [
            this.#name(SYNC_PENDING_TABLE),
            ...slice.flatMap((r) => [r.run_id, r.scope_id, r.k, r.batch_index, r.fp, r.dest_id, r.recorded_at]),
          ],
        );
      } else {
        await this.#table(SYNC_PENDING_TABLE, trx)
          .insert(slice)
          .onConflict(['run_id', 'scope_id', 'k'])
          .merge(['batch_index', 'fp', 'dest_id', 'recorded_at']);
      }
    }
  }

  async settle(
    scope: SyncScope,
    options: {
      readonly exceptRunId?: string;
      readonly runId?: string;
      readonly meta?: Omit<SyncStateMeta, 'records' | 'updatedAt'>;
    },
  ): Promise<void> {
    this.#writable();
    await this.ensureTables();
    await this.#knex.transaction(async (trx) => {
      const scopeId = await this.#scopeId(trx, scope);
      let runs: string[];
      if (options.runId !== undefined) runs = [options.runId];
      else {
        let query = this.#table(SYNC_PENDING_TABLE, trx).where({ scope_id: scopeId });
        if (options.exceptRunId !== undefined) query = query.whereNot({ run_id: options.exceptRunId });
        // Oldest run first: a later run's row of a key wins.
        const rows = await query
          .groupBy('run_id')
          .orderBy([{ column: 'first', order: 'asc' }, { column: 'run_id' }])
          .select<{ run_id: string }[]>('run_id', trx.raw('min(recorded_at) as ??', ['first']));
        runs = rows.map((row) => row.run_id);
      }
      let delta = 0;
      for (const runId of runs) delta += await this.#fold(trx, scopeId, runId);
      const update: Record<string, unknown> = {
        records: trx.raw('records + ?', [delta]),
        updated_at: this.#now(),
      };
      if (options.meta !== undefined) {
        update.snapshot_id = options.meta.snapshotId;
        update.table_uuid = options.meta.tableUuid ?? null;
        update.signature = options.meta.signature;
        update.failed_files = JSON.stringify(options.meta.failedFiles);
      }
      if (delta !== 0 || options.meta !== undefined)
        await this.#table(SYNC_SCOPES_TABLE, trx).where({ scope_id: scopeId }).update(update);
    });
  }

  async reset(scope: SyncScope): Promise<void> {
    this.#writable();
    await this.ensureTables();
    await this.#knex.transaction(async (trx) => {
      const scopeId = await this.#scopeId(trx, scope);
      await this.#table(SYNC_STATE_TABLE, trx).where({ scope_id: scopeId }).delete();
      await this.#table(SYNC_PENDING_TABLE, trx).where({ scope_id: scopeId }).delete();
      await this.#table(SYNC_SCOPES_TABLE, trx).where({ scope_id: scopeId }).update({
        snapshot_id: null,
        table_uuid: null,
        signature: null,
        failed_files: null,
        records: 0,
        updated_at: this.#now(),
      });
    });
  }

  /** Folds the pending rows of one run into the state; answers the change in the number of records. */
  async #fold(trx: Knex.Transaction, scopeId: number, runId: string): Promise<number> {
    const state = this.#name(SYNC_STATE_TABLE);
    const pending = this.#name(SYNC_PENDING_TABLE);
    const count = async (fp: 'IS NULL' | 'IS NOT NULL', exists: 'EXISTS' | 'NOT EXISTS'): Promise<number> => {
      const result = await trx.raw(
        `SELECT count(*) AS n FROM ?? p WHERE p.scope_id = ? AND p.run_id = ? AND p.fp ${fp} AND ${exists} (SELECT 1 FROM ?? s WHERE s.scope_id = p.scope_id AND s.k = p.k)`,
        [pending, scopeId, runId, state],
      );
      return Number(this.#rows<{ n: number | string }>(result)[0]?.n ?? 0);
    };
    const added = await count('IS NOT NULL', 'NOT EXISTS');
    const removed = await count('IS NULL', 'EXISTS');
    await trx.raw(
      `DELETE FROM ?? WHERE scope_id = ? AND k IN (SELECT k FROM ?? WHERE scope_id = ? AND run_id = ? AND fp IS NULL)`,
      [state, scopeId, pending, scopeId, runId],
    );
    const select = `SELECT scope_id, k, fp, dest_id FROM ?? WHERE scope_id = ? AND run_id = ? AND fp IS NOT NULL`;
    if (this.#dialect === 'mysql') {
      await trx.raw(
        `INSERT INTO ?? (scope_id, k, fp, dest_id) ${select} ON DUPLICATE KEY UPDATE fp = VALUES(fp), dest_id = COALESCE(VALUES(dest_id), ??.dest_id)`,
        [state, pending, scopeId, runId, state],
      );
    } else {
      await trx.raw(
        `INSERT INTO ?? AS s (scope_id, k, fp, dest_id) ${select} ON CONFLICT (scope_id, k) DO UPDATE SET fp = excluded.fp, dest_id = COALESCE(excluded.dest_id, s.dest_id)`,
        [state, pending, scopeId, runId],
      );
    }
    await this.#table(SYNC_PENDING_TABLE, trx).where({ scope_id: scopeId, run_id: runId }).delete();
    return added - removed;
  }

  /** The scope's id to read with: read-only, `undefined` when the scope (or its table) does not exist. */
  async #readScopeId(scope: SyncScope): Promise<number | undefined> {
    if (this.#options.readOnly !== true) return this.#scopeId(this.#knex, scope);
    if (this.#absent) return undefined;
    const row = await this.#table(SYNC_SCOPES_TABLE)
      .where({ destination: scope.destination, product: scope.product ?? '' })
      .first<ScopeRow | undefined>('scope_id');
    return row === undefined ? undefined : Number(row.scope_id);
  }

  #writable(): void {
    if (this.#options.readOnly === true) throw new Error(`the sync state ${this.location} is open read-only`);
  }

  /** The integer id of a scope, created on first use. */
  async #scopeId(db: Knex | Knex.Transaction, scope: SyncScope): Promise<number> {
    const name = JSON.stringify([scope.product ?? '', scope.destination]);
    const known = this.#scopeIds.get(name);
    if (known !== undefined) return known;
    const where = { destination: scope.destination, product: scope.product ?? '' };
    const find = async (): Promise<number | undefined> => {
      const row = await this.#table(SYNC_SCOPES_TABLE, db).where(where).first<ScopeRow | undefined>('scope_id');
      return row === undefined ? undefined : Number(row.scope_id);
    };
    let id = await find();
    if (id === undefined) {
      await this.#table(SYNC_SCOPES_TABLE, db)
        .insert({ ...where, records: 0 })
        .onConflict(['destination', 'product'])
        .ignore();
      id = await find();
    }
    if (id === undefined) throw new Error(`sync scope ${name} could not be created in ${this.location}`);
    // Only ids a committed statement made are cached: an outer transaction that rolls back forgets its own.
    if (!('isTransaction' in db && db.isTransaction === true)) this.#scopeIds.set(name, id);
    return id;
  }

  #checkKey(key: string): void {
    if (this.#dialect === 'mysql' && Buffer.byteLength(key, 'utf8') > MYSQL_MAX_KEY_BYTES) {
      throw new DeliveryError(
        `sync key ${key.slice(0, 60)}… is longer than ${MYSQL_MAX_KEY_BYTES} bytes, the most MySQL/MariaDB can index`,
        'SYNC_STATE_INVALID',
        { category: 'PERMANENT' },
      );
    }
  }

  #record(row: StateRow): SyncStateRecord {
    return {
      key: typeof row.k === 'string' ? row.k : row.k.toString('utf8'),
      fingerprint: Buffer.from(row.fp).toString('hex'),
      ...(row.dest_id !== null && { destinationId: row.dest_id }),
    };
  }

  #rows<T>(result: unknown): T[] {
    if (this.#dialect === 'postgres') return (result as { rows: T[] }).rows;
    if (this.#dialect === 'mysql') return (result as [T[]])[0];
    return result as T[];
  }

  #name(table: string): string {
    return ledgerTableName(table, this.#schema);
  }

  #table(name: string, db: Knex | Knex.Transaction = this.#knex): Knex.QueryBuilder {
    return this.#schema === undefined ? db(name) : db.withSchema(this.#schema).table(name);
  }

  #now(): string {
    return (this.#options.now?.() ?? new Date()).toISOString();
  }
}
