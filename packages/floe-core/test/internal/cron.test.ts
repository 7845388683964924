import { describe, expect, it } from '@jest/globals';
import { cronProblem } from '../../src/internal/cron.js';

describe('cronProblem', () => {
  it.each(['0 6 * * *', '*/15 * * * *', '0 9-17 * * MON-FRI', '0 0 1,15 jan,jul *', '@daily', '@HOURLY', '0 0 * * 7'])(
    'accepts %s',
    (cron) => {
      expect(cronProblem(cron)).toBeUndefined();
    },
  );

  it.each([
    ['0 6 * *', 'must have 5 fields (minute hour day-of-month month day-of-week) or be a macro such as @daily; got 4'],
    ['60 * * * *', 'minute field "60": "60" is outside 0-59'],
    ['0 24 * * *', 'hour field "24": "24" is outside 0-23'],
    ['0 0 0 * *', 'day of month field "0": "0" is outside 1-31'],
    ['0 0 * FOO *', 'month field "FOO": "FOO" is outside 1-12'],
    ['*/0 * * * *', 'minute field "*/0": a step must be ≥ 1'],
    ['0 0 * * 1-', 'day of week field "1-": "1-" is not a value, range or step'],
  ])('rejects %s', (cron, problem) => {
    expect(cronProblem(cron)).toBe(problem);
  });
});
