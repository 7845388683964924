import type { WriteRetryEvent } from '@floe/core';

/** Why a destination shows no progress: how long since the last acknowledged batch, and the last retry. */
export interface Waiting {
  /** Milliseconds since the destination last acknowledged a batch (or since the delivery started). */
  readonly sinceLastAnswerMs: number;
  /** The last retry the connector announced since then, if any. */
  readonly retry: WriteRetryEvent | undefined;
}

/** Options of {@link WaitWatch}. */
export interface WaitWatchOptions {
  /** How often silence is reported, in ms (default 5 000). */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/** The default silence after which `egress run` says it is waiting. */
export const DEFAULT_WAITING_INTERVAL_MS = 5_000;

/**
 * Turns silence into events while a destination is delivered: `report` is called at once for each retry the
 * connector announces, and every `intervalMs` while no batch was acknowledged for that long — so a hanging
 * endpoint is never silent for minutes. Call {@link stop} when the delivery ends.
 *
 * @example
 * ```ts
 * const watch = new WaitWatch((waiting) => reporter.waiting(prepared, waiting));
 * try { await write({ onProgress: () => watch.answered(), onEvent: (e) => watch.event(e) }); } finally { watch.stop(); }
 * ```
 */
export class WaitWatch {
  readonly #report: (waiting: Waiting) => void;
  readonly #now: () => number;
  readonly #intervalMs: number;
  readonly #timer: ReturnType<typeof setInterval>;
  #lastAnswer: number;
  #retry: WriteRetryEvent | undefined;

  constructor(report: (waiting: Waiting) => void, options: WaitWatchOptions = {}) {
    this.#report = report;
    this.#now = options.now ?? Date.now;
    this.#intervalMs = options.intervalMs ?? DEFAULT_WAITING_INTERVAL_MS;
    this.#lastAnswer = this.#now();
    this.#timer = setInterval(() => this.tick(), Math.max(10, Math.floor(this.#intervalMs / 2)));
    this.#timer.unref();
  }

  /** A batch was acknowledged. */
  answered(): void {
    this.#lastAnswer = this.#now();
    this.#retry = undefined;
  }

  /** The connector announced a retry (or a rate-limit wait): reported at once. */
  event(event: WriteRetryEvent): void {
    this.#retry = event;
    this.#report({ sinceLastAnswerMs: this.#now() - this.#lastAnswer, retry: event });
  }

  /** Reports when nothing was acknowledged for at least the interval (the timer calls it). */
  tick(): void {
    const since = this.#now() - this.#lastAnswer;
    if (since >= this.#intervalMs) this.#report({ sinceLastAnswerMs: since, retry: this.#retry });
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** The variable that sets the silence (ms) after which `egress run` reports waiting. */
export const WAITING_INTERVAL_ENV = 'FLOE_WAITING_INTERVAL_MS';

/** {@link WaitWatchOptions} from the environment (`FLOE_WAITING_INTERVAL_MS`, else the default). */
export function waitingOptions(env: Readonly<Record<string, string | undefined>>): WaitWatchOptions {
  const value = Number(env[WAITING_INTERVAL_ENV]);
  return Number.isInteger(value) && value > 0 ? { intervalMs: value } : {};
}
