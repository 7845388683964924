import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { LeaseAcquisition, LeaseHolder, LeaseOwner, RunLease } from '@floe/core';
import { processAlive } from './run-status.js';

/** A row of `_floe_leases` (see `LEASES_TABLE`). */
interface LeaseRow {
  lease_key: string;
  token: string;
  run_id: string;
  host: string;
  pid: number | string;
  acquired_at: number | string;
  heartbeat_at: number | string;
}

/** What {@link acquireKnexLease} needs. */
export interface KnexLeaseOptions {
  /** The lease table of the store (schema-qualified when the store has a schema). */
  readonly table: () => Knex.QueryBuilder;
  readonly timeoutMs: number;
  readonly now?: () => Date;
  /** Whether a process of this host is alive (tests). */
  readonly alive?: (pid: number) => boolean;
  readonly thisHost: string;
}

function holderOf(row: LeaseRow): LeaseHolder {
  return {
    runId: row.run_id,
    host: row.host,
    pid: Number(row.pid),
    acquiredAt: new Date(Number(row.acquired_at)),
    heartbeatAt: new Date(Number(row.heartbeat_at)),
  };
}

/**
 * Takes a lease row of `_floe_leases`: inserted when free; taken over — by a compare-and-set on the holder's
 * random token, so two contenders cannot both win — when the holder's heartbeat is older than `timeoutMs` or
 * the holder is a process of this host that no longer exists (SIGKILL). A row rather than a session lock
 * (advisory lock, `GET_LOCK`) because the lease must outlive a cut connection of a pooled client, and one
 * statement shape works on PostgreSQL, MySQL/MariaDB and SQLite.
 */
export async function acquireKnexLease(
  key: string,
  owner: LeaseOwner,
  options: KnexLeaseOptions,
): Promise<LeaseAcquisition> {
  const now = (): number => (options.now?.() ?? new Date()).getTime();
  const token = randomUUID();
  const at = now();
  const mine = { token, run_id: owner.runId, host: owner.host, pid: owner.pid, acquired_at: at, heartbeat_at: at };
  await options
    .table()
    .insert({ lease_key: key, ...mine })
    .onConflict('lease_key')
    .ignore();
  let row = await options.table().where({ lease_key: key }).first<LeaseRow | undefined>();
  if (row !== undefined && row.token !== token) {
    const stale = at - Number(row.heartbeat_at) > options.timeoutMs;
    const dead = row.host === options.thisHost && !(options.alive ?? processAlive)(Number(row.pid));
    if (!stale && !dead) return { acquired: false, holder: holderOf(row) };
    await options.table().where({ lease_key: key, token: row.token }).update(mine);
    row = await options.table().where({ lease_key: key }).first<LeaseRow | undefined>();
  }
  if (row === undefined || row.token !== token) {
    // Freed or taken by another contender in between: report whoever holds it now.
    return row === undefined ? acquireKnexLease(key, owner, options) : { acquired: false, holder: holderOf(row) };
  }
  return { acquired: true, lease: new KnexRunLease(key, token, options, now) };
}

/** A held lease row, kept alive by a heartbeat every third of the timeout (an unref'd timer). */
class KnexRunLease implements RunLease {
  readonly key: string;
  lost = false;
  readonly #token: string;
  readonly #options: KnexLeaseOptions;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;
  #released = false;
  #beat: Promise<void> = Promise.resolve();

  constructor(key: string, token: string, options: KnexLeaseOptions, now: () => number) {
    this.key = key;
    this.#token = token;
    this.#options = options;
    this.#now = now;
    this.#timer = setInterval(
      () => {
        this.#beat = this.#heartbeat();
      },
      Math.max(50, Math.floor(options.timeoutMs / 3)),
    );
    this.#timer.unref();
  }

  async #heartbeat(): Promise<void> {
    if (this.#released) return;
    try {
      const updated = await this.#options
        .table()
        .where({ lease_key: this.key, token: this.#token })
        .update({ heartbeat_at: this.#now() });
      if (Number(updated) === 0) this.lost = true;
    } catch {
      // A failed heartbeat is retried at the next tick; only a takeover loses the lease.
    }
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#timer);
    await this.#beat;
    try {
      await this.#options.table().where({ lease_key: this.key, token: this.#token }).delete();
    } catch {
      // The row stays: it expires after the timeout (or at once for the next process on this host).
    }
  }
}
