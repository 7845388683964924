import { existsSync } from 'node:fs';
import knexModule, { type Knex } from 'knex';
import { registerSecret, sanitizeErrorMessage } from '../../errors/index.js';
import { LEDGER_TABLE } from '@floe/delivery';
import type { RetryPolicy } from '../../engine/retry/index.js';
import { createDialect } from './dialects/create-dialect.js';
import type { SqlDialect } from './dialects/sql-dialect.js';
import { SqlDestinationLedger } from './sql-ledger.js';
import type { SqlSinkSettings } from './sql-sink-settings.js';

/**
 * The database side of a `sql_database` destination: its knex (the caller's, or built from the secret's URL on
 * first use with a pool it owns), the dialect once connected, the delivery ledger kept in that database, and the
 * secrets registered for sanitising while it is in use. `close()` releases what it owns; a later `connect()`
 * starts over.
 */
export class SqlConnection {
  /**
   * append / merge: the delivery ledger lives in this database, each batch's record written in its transaction.
   * (replace needs none: its new table is swapped in at the end, so a crashed load simply starts over.)
   */
  readonly ledger: SqlDestinationLedger | undefined;
  readonly #settings: SqlSinkSettings;
  readonly #policy: RetryPolicy;
  readonly #secrets: readonly string[];
  /** The caller's knex: never destroyed here. */
  readonly #injected: Knex | undefined;
  #knex: Knex | undefined;
  #dialect: SqlDialect | undefined;
  #forget: (() => void) | undefined;

  /** Registers the settings' secrets at once; connects (with `policy`'s retries) only on `connect()`. */
  constructor(settings: SqlSinkSettings, policy: RetryPolicy, injected: Knex | undefined) {
    this.#settings = settings;
    this.#policy = policy;
    this.#secrets = settings.target?.secrets ?? [];
    this.#injected = injected;
    this.#remember();
    this.#knex = injected;
    const { schema } = settings.table;
    this.ledger =
      settings.writeDisposition === 'replace'
        ? undefined
        : new SqlDestinationLedger(
            async () => {
              const current = await this.connect();
              return {
                knex: this.#knex as Knex,
                schema: schema ?? current.defaultSchema,
                table: { name: settings.table.name, dialect: settings.dialect },
              };
            },
            `${settings.identity} ${schema === undefined ? '' : `${schema}.`}${LEDGER_TABLE}`,
            async () => {
              const peeked = await this.peek();
              return peeked && { knex: peeked.knex, schema: schema ?? peeked.defaultSchema };
            },
          );
  }

  /** The dialect of the open connection, if connected. */
  get dialect(): SqlDialect | undefined {
    return this.#dialect;
  }

  /** The connected dialect: connects first (building the pool if it is ours) unless connected already. */
  async connect(): Promise<SqlDialect> {
    this.#remember();
    if (this.#dialect !== undefined) return this.#dialect;
    const settings = this.#settings;
    this.#knex ??= knexModule.knex({ ...poolFor(settings), log: quietLog(this.#secrets) });
    const created = createDialect(settings.dialect, this.#knex, {
      mariadbScheme: settings.target?.mariadbScheme ?? false,
    });
    await this.#policy.execute(() => created.connect());
    await this.#policy.execute(() => ensureSchema(settings, this.#knex as Knex));
    this.#dialect = created;
    return created;
  }

  /**
   * The destination's knex for reading only (`egress plan`): creates nothing — no SQLite file, no schema — and
   * does not connect first; `undefined` when the SQLite database file does not exist.
   */
  async peek(): Promise<{ readonly knex: Knex; readonly defaultSchema: string | undefined } | undefined> {
    this.#remember();
    const settings = this.#settings;
    if (this.#knex === undefined && settings.dialect === 'sqlite') {
      const file = (settings.target?.knexConfig.connection as { filename?: string } | undefined)?.filename;
      if (file !== undefined && file !== ':memory:' && !existsSync(file)) return undefined;
    }
    this.#knex ??= knexModule.knex({ ...poolFor(settings), log: quietLog(this.#secrets) });
    const dialect =
      this.#dialect ??
      createDialect(settings.dialect, this.#knex, { mariadbScheme: settings.target?.mariadbScheme ?? false });
    return { knex: this.#knex, defaultSchema: dialect.defaultSchema };
  }

  /** Forgets the dialect and the ledger's connection, destroys the pool if it is ours, unregisters the secrets. */
  async close(): Promise<void> {
    this.#dialect = undefined;
    await this.ledger?.close();
    if (this.#injected === undefined && this.#knex !== undefined) {
      const owned = this.#knex;
      this.#knex = undefined;
      await owned.destroy();
    }
    this.#forget?.();
    this.#forget = undefined;
  }

  #remember(): void {
    if (this.#forget !== undefined) return;
    const forgets = this.#secrets.map((secret) => registerSecret(secret));
    this.#forget = () => forgets.forEach((f) => f());
  }
}

/**
 * PostgreSQL: the table's `db_schema` is created when missing and `create_table` is true (it holds the table
 * and the delivery ledger); created only when absent, so a role without CREATE on the database can still
 * write to an existing schema.
 */
async function ensureSchema(settings: SqlSinkSettings, knex: Knex): Promise<void> {
  const { schema } = settings.table;
  if (settings.dialect !== 'postgres' || schema === undefined || !settings.createTable) return;
  const found = await knex.raw<{ rows: unknown[] }>('SELECT 1 FROM pg_namespace WHERE nspname = ?', [schema]);
  if (found.rows.length === 0) await knex.raw('CREATE SCHEMA IF NOT EXISTS ??', [schema]);
}

/**
 * knex's own log: its warnings (a dropped pooled connection, a failed acquire) are reported to the caller as
 * errors anyway, so they are not printed; its errors are printed sanitised.
 */
function quietLog(secrets: readonly string[]): Knex.Logger {
  const silent = (): void => undefined;
  return {
    warn: silent,
    debug: silent,
    deprecate: silent,
    error: (message: unknown) => console.error(sanitizeErrorMessage(String(message), secrets)),
  };
}

/** The URL's knex configuration with a pool of one connection per concurrent batch, plus one for the ledger. */
function poolFor(settings: SqlSinkSettings): Knex.Config {
  const config = settings.target?.knexConfig as Knex.Config;
  if (settings.dialect === 'sqlite') return config;
  return { ...config, pool: { ...config.pool, min: 0, max: settings.concurrency + 1 } };
}
