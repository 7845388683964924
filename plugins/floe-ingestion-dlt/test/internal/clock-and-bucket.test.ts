import { describe, expect, it } from '@jest/globals';
import { systemClock, type Clock } from '../../src/internal/clock.js';
import { TokenBucket } from '../../src/internal/token-bucket.js';

describe('systemClock', () => {
  it('sleeps, and rejects with the reason when aborted before or during the sleep', async () => {
    await expect(systemClock.sleep(1)).resolves.toBeUndefined();
    const before = AbortSignal.abort(new Error('early'));
    await expect(systemClock.sleep(1000, before)).rejects.toThrow('early');
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort(new Error('late'));
    await expect(sleeping).rejects.toThrow('late');
    expect(typeof systemClock.now()).toBe('number');
  });
});

describe('TokenBucket', () => {
  it('spaces takers 1000/rate ms apart in call order, and refuses a bad rate', async () => {
    let now = 1000;
    const waits: number[] = [];
    const clock: Clock = { now: () => now, sleep: async (ms) => void waits.push(ms) };
    const bucket = new TokenBucket(4, clock);
    await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
    expect(waits).toEqual([250, 500]);
    now += 10_000;
    await bucket.take();
    expect(waits).toEqual([250, 500]);
    expect(() => new TokenBucket(0)).toThrow(RangeError);
  });
});
