import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import knexModule from 'knex';
import { DeliveryError } from './delivery-error.js';
import { KnexDeliveryLedger } from './knex-delivery-ledger.js';

/** Options of {@link openStateStore}. */
export interface StateStoreOptions {
  /** A relative SQLite path is resolved against this folder; default the working directory. */
  readonly baseDir?: string;
  /** Wall clock (tests). */
  readonly now?: () => Date;
  /** Host name and process id recorded with each attempt (default: this process's). */
  readonly host?: string;
  readonly pid?: number;
  /** Create nothing (no folder, no file, no table): only list runs (`floe egress runs`). */
  readonly readOnly?: boolean;
}

/** knex would print pool warnings (`Acquire connection error …`) on stdout: the errors themselves are thrown. */
const QUIET_LOG = { warn: () => undefined, error: () => undefined, deprecate: () => undefined, debug: () => undefined };

/** What a state-store location points at. */
export type StateStoreLocation =
  | { readonly kind: 'sqlite'; readonly file: string; readonly display: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly schema: string | undefined;
      readonly display: string;
      readonly password: string | undefined;
    };

/**
 * Parses a state-store location: `postgres://user:pass@host:5432/db[?schema=name]` (`postgresql://` too),
 * `sqlite:<file>`, or a plain file path (SQLite). `display` never holds the password.
 */
export function parseStateStoreLocation(location: string, baseDir = process.cwd()): StateStoreLocation {
  if (/^postgres(ql)?:\/\//i.test(location)) {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      throw new DeliveryError(
        'state store: not a valid PostgreSQL URL: expected postgres://user:password@host:5432/database',
        'STATE_STORE_LOCATION',
        { option: 'state_store' },
      );
    }
    const schema = url.searchParams.get('schema') ?? undefined;
    url.searchParams.delete('schema');
    const password = url.password === '' ? undefined : decodeURIComponent(url.password);
    const shown = new URL(url.toString());
    shown.password = '';
    const display = `${shown.toString()}${schema === undefined ? '' : `${shown.search === '' ? '?' : '&'}schema=${schema}`}`;
    return { kind: 'postgres', url: url.toString(), schema, display, password };
  }
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(location)?.[1];
  if (scheme !== undefined && !/^sqlite3?$/i.test(scheme)) {
    throw new DeliveryError(
      `state store: unknown scheme "${scheme}:": expected sqlite:<file>, a file path or postgres://user@host:5432/database`,
      'STATE_STORE_LOCATION',
      { option: 'state_store' },
    );
  }
  const match = /^sqlite3?:(.*)$/i.exec(location);
  let file = match === null ? location : (match[1] ?? '');
  if (file.startsWith('//')) file = file.slice(2);
  if (file === '' || file === ':memory:') {
    throw new DeliveryError(
      'state store: a SQLite state store needs a file: expected sqlite:<file>',
      'STATE_STORE_LOCATION',
      {
        option: 'state_store',
      },
    );
  }
  const absolute = resolve(baseDir, file);
  return { kind: 'sqlite', file: absolute, display: `sqlite:${absolute}` };
}

/**
 * Opens the delivery state store: a SQLite file (created with its folder; `synchronous=FULL`, so each
 * record is on disk when the call returns) or a PostgreSQL database (its `?schema=` created when missing).
 * Tables are created on first use; each operation is retried on a transient failure (a cut connection).
 * Close it when done.
 *
 * @example
 * ```ts
 * const store = openStateStore('sqlite:.floe/state.db');
 * const runs = await store.listRuns({ destination: 'crm' });
 * await store.close();
 * ```
 */
export function openStateStore(location: string, options: StateStoreOptions = {}): KnexDeliveryLedger {
  const parsed = parseStateStoreLocation(location, options.baseDir);
  const now = {
    ...(options.now !== undefined && { now: options.now }),
    ...(options.host !== undefined && { host: options.host }),
    ...(options.pid !== undefined && { pid: options.pid }),
  };
  if (parsed.kind === 'postgres') {
    const knex = knexModule.knex({
      client: 'pg',
      connection: { connectionString: parsed.url, application_name: 'floe-state-store' },
      pool: { min: 0, max: 2 },
      log: QUIET_LOG,
    });
    return new KnexDeliveryLedger({
      knex,
      ownsKnex: true,
      location: parsed.display,
      ...(parsed.schema !== undefined && { schema: parsed.schema, createSchema: options.readOnly !== true }),
      ...(options.readOnly === true && { readOnly: true }),
      retry: {},
      ...now,
    });
  }
  if (options.readOnly !== true) mkdirSync(dirname(parsed.file), { recursive: true });
  const knex = knexModule.knex({
    client: 'better-sqlite3',
    connection: { filename: parsed.file, ...(options.readOnly === true && { options: { readonly: true } }) },
    log: QUIET_LOG,
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (db: { pragma(text: string): unknown }, done: (error: Error | null, db: unknown) => void) => {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        db.pragma('busy_timeout = 10000');
        done(null, db);
      },
    },
  });
  return new KnexDeliveryLedger({
    knex,
    ownsKnex: true,
    location: parsed.display,
    ...(options.readOnly === true && { readOnly: true }),
    retry: {},
    ...now,
  });
}
