import { systemClock, type Clock } from './clock.js';

/**
 * A token bucket of capacity 1 refilled at `ratePerSecond`: requests are spaced evenly, `1000 / rate` ms
 * apart, across all concurrent callers (slots are reserved synchronously, in call order).
 */
export class TokenBucket {
  private next = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;

  constructor(
    ratePerSecond: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${ratePerSecond}`);
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** Waits for a token. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.next);
    this.next = slot + this.intervalMs;
    if (slot > now) await this.clock.sleep(slot - now, signal);
  }
}
