import type { Knex } from 'knex';
import type { SyncDeltaRow, SyncScope, SyncStateMeta, SyncStateRecord, SyncStateStore } from '@floe/core';
import { KnexSyncState } from '@floe/delivery';

/** Where the sync state tables go: the destination's knex and the ledger's schema (see `SqlLedgerConnection`). */
export interface SqlSyncConnection {
  readonly knex: Knex;
  readonly schema: string | undefined;
}

/**
 * The sync state a `sql_database` destination keeps in its own database, beside its delivery ledger
 * (`_floe_sync_scopes`, `_floe_sync_state`, `_floe_sync_pending` in the ledger's schema): a {@link KnexSyncState}
 * on the destination's connection, made when first used and again after the sink reconnects. The sink writes a
 * batch's pending rows in the batch's own transaction ({@link SqlSyncState.addPendingIn}); the host reads and
 * settles the state through the {@link SyncStateStore} methods.
 *
 * @example
 * ```ts
 * const sync = new SqlSyncState(async () => ({ knex, schema: 'crm' }), 'postgres://db/test crm._floe_sync_state');
 * await sync.settle({ product: 'customers', destination: 'warehouse' }, { exceptRunId: runId });
 * ```
 */
export class SqlSyncState implements SyncStateStore {
  readonly location: string;
  readonly #connect: () => Promise<SqlSyncConnection | undefined>;
  readonly #readOnly: boolean;
  #inner: Promise<{ readonly state: KnexSyncState; readonly knex: Knex }> | undefined;

  /**
   * `connect` gives the destination's connection; with `readOnly` (see `KnexSyncState`'s option) it may give
   * `undefined` — the database does not exist yet (a SQLite file) — and the state reads as never synced.
   */
  constructor(
    connect: () => Promise<SqlSyncConnection | undefined>,
    location: string,
    options: { readonly readOnly?: boolean } = {},
  ) {
    this.#connect = connect;
    this.location = location;
    this.#readOnly = options.readOnly === true;
  }

  async meta(scope: SyncScope): Promise<SyncStateMeta | undefined> {
    return (await this.#readable())?.meta(scope);
  }

  async lookup(scope: SyncScope, keys: readonly string[]): Promise<Map<string, SyncStateRecord>> {
    return (await this.#readable())?.lookup(scope, keys) ?? new Map();
  }

  async *records(
    scope: SyncScope,
    options?: { readonly pageSize?: number },
  ): AsyncIterable<readonly SyncStateRecord[]> {
    const state = await this.#readable();
    if (state !== undefined) yield* state.records(scope, options);
  }

  async addPending(scope: SyncScope, runId: string, batchIndex: number, rows: readonly SyncDeltaRow[]): Promise<void> {
    await (await this.#state()).addPending(scope, runId, batchIndex, rows);
  }

  async settle(scope: SyncScope, options: Parameters<SyncStateStore['settle']>[1]): Promise<void> {
    await (await this.#state()).settle(scope, options);
  }

  async reset(scope: SyncScope): Promise<void> {
    await (await this.#state()).reset(scope);
  }

  /** Creates the tables when missing (before a batch transaction: DDL would commit a MySQL transaction). */
  async ensureTables(): Promise<void> {
    await (await this.#state()).ensureTables();
  }

  /** {@link KnexSyncState.addPendingIn}: the rows commit or roll back with `trx` (call {@link ensureTables} first). */
  async addPendingIn(
    trx: Knex.Transaction,
    scope: SyncScope,
    runId: string,
    batchIndex: number,
    rows: readonly SyncDeltaRow[],
  ): Promise<void> {
    await (await this.#state()).addPendingIn(trx, scope, runId, batchIndex, rows);
  }

  /** The destination's knex the state is on (for a transaction bound to one of its connections). */
  async knex(): Promise<Knex> {
    return (await this.#connected()).knex;
  }

  /** Forgets the connection (the sink closes its pool); the next use connects again. */
  close(): void {
    this.#inner = undefined;
  }

  async #state(): Promise<KnexSyncState> {
    return (await this.#connected()).state;
  }

  /** The state to read (read-only: `undefined` when the database does not exist). */
  async #readable(): Promise<KnexSyncState | undefined> {
    if (!this.#readOnly) return this.#state();
    const connection = await this.#connect();
    if (connection === undefined) return undefined;
    return this.#state();
  }

  #connected(): Promise<{ readonly state: KnexSyncState; readonly knex: Knex }> {
    this.#inner ??= this.#connect().then((connection) => {
      if (connection === undefined) throw new Error(`the sync state ${this.location} does not exist`);
      const { knex, schema } = connection;
      return {
        knex,
        state: new KnexSyncState(knex, {
          location: this.location,
          ...(schema !== undefined && { schema }),
          ...(this.#readOnly && { readOnly: true }),
        }),
      };
    });
    this.#inner.catch(() => {
      this.#inner = undefined;
    });
    return this.#inner;
  }
}
