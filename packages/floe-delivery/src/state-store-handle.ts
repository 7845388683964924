import type { DeliveryLedger } from '@floe/core';
import { openStateStore, type StateStoreOptions } from './open-state-store.js';

/**
 * A state store opened on first use (so a command that stops early creates no file) and closed once.
 *
 * @example
 * ```ts
 * const store = new StateStoreHandle('sqlite:.floe/state.db', { baseDir: projectDir });
 * try { await store.get().listRuns(); } finally { await store.close(); }
 * ```
 */
export class StateStoreHandle {
  readonly location: string;
  readonly #options: StateStoreOptions;
  readonly #open: (location: string, options: StateStoreOptions) => DeliveryLedger;
  #store: DeliveryLedger | undefined;

  /** `location`: `sqlite:<file>`, a file path, or `postgres://…`; relative files resolve against `options.baseDir`. */
  constructor(
    location: string,
    options: StateStoreOptions = {},
    open: (location: string, options: StateStoreOptions) => DeliveryLedger = openStateStore,
  ) {
    this.location = location;
    this.#options = options;
    this.#open = open;
  }

  /** The store, opened now if it was not yet. */
  get(): DeliveryLedger {
    this.#store ??= this.#open(this.location, this.#options);
    return this.#store;
  }

  /** Closes the store if it was opened. Never throws. */
  async close(): Promise<void> {
    const store = this.#store;
    this.#store = undefined;
    await store?.close().catch(() => undefined);
  }
}
