import { describe, expect, it } from '@jest/globals';
import { describeWaiting } from '../../src/output/human-run-reporter.js';
import { WaitWatch, type Waiting } from '../../src/output/wait-watch.js';

describe('WaitWatch', () => {
  it('reports silence once the interval has passed without an answer, and each retry at once', () => {
    let now = 0;
    const seen: Waiting[] = [];
    const watch = new WaitWatch((waiting) => seen.push(waiting), { intervalMs: 5_000, now: () => now });
    now = 4_000;
    watch.tick();
    expect(seen).toEqual([]);
    now = 6_000;
    watch.tick();
    expect(seen).toEqual([{ sinceLastAnswerMs: 6_000, retry: undefined }]);
    const retry = { kind: 'retry', batchIndex: 0, attempt: 1, delayMs: 2_000, reason: 'HTTP 503' } as const;
    watch.event(retry);
    expect(seen[1]).toEqual({ sinceLastAnswerMs: 6_000, retry });
    watch.answered();
    now = 7_000;
    watch.tick();
    expect(seen).toHaveLength(2);
    watch.stop();
  });
});

describe('describeWaiting', () => {
  it('says how long since the last answer, and which retry is next', () => {
    expect(describeWaiting({ sinceLastAnswerMs: 12_000, retry: undefined })).toBe('waiting 12s for an answer');
    expect(
      describeWaiting({
        sinceLastAnswerMs: 65_000,
        retry: { kind: 'retry', batchIndex: 3, attempt: 2, delayMs: 1_500, reason: 'HTTP 429 Too Many Requests' },
      }),
    ).toBe('waiting 1m05s for an answer (retry 3 in 1.5s: HTTP 429 Too Many Requests)');
  });
});
