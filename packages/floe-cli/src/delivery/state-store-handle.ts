import type { DeliveryLedger } from '@floe/ingestion-dlt';
import type { EngineDelivery } from '../egress/engine.js';

/** The state store of one command: opened on first use (so a run that stops early creates no file), closed once. */
export class StateStoreHandle {
  readonly location: string;
  readonly #delivery: EngineDelivery;
  readonly #baseDir: string;
  #store: DeliveryLedger | undefined;

  /** `location` as `stateStoreLocation` returns it; relative SQLite paths resolve against `baseDir`. */
  constructor(delivery: EngineDelivery, location: string, baseDir: string) {
    this.#delivery = delivery;
    this.location = location;
    this.#baseDir = baseDir;
  }

  /** The store, opened now if it was not yet. */
  get(): DeliveryLedger {
    this.#store ??= this.#delivery.openStateStore(this.location, this.#baseDir);
    return this.#store;
  }

  /** Closes the store if it was opened. Never throws. */
  async close(): Promise<void> {
    const store = this.#store;
    this.#store = undefined;
    await store?.close().catch(() => undefined);
  }
}
