import { describe, expect, it } from '@jest/globals';
import { ExitCode, exitCodeForCategory, worstExitCode } from '../src/exit-code.js';

describe('worstExitCode', () => {
  it('orders interrupted > configuration > failed > partial > ok', () => {
    expect(worstExitCode(ExitCode.OK, ExitCode.PARTIAL)).toBe(ExitCode.PARTIAL);
    expect(worstExitCode(ExitCode.FAILED, ExitCode.PARTIAL)).toBe(ExitCode.FAILED);
    expect(worstExitCode(ExitCode.FAILED, ExitCode.CONFIGURATION)).toBe(ExitCode.CONFIGURATION);
    expect(worstExitCode(ExitCode.INTERRUPTED, ExitCode.CONFIGURATION)).toBe(ExitCode.INTERRUPTED);
  });
});

describe('exitCodeForCategory', () => {
  it('maps CONFIGURATION to 3, every other category to 1, and an uncategorised failure as told', () => {
    expect(exitCodeForCategory('CONFIGURATION')).toBe(ExitCode.CONFIGURATION);
    for (const category of ['TRANSIENT', 'PERMANENT', 'PARTIAL'])
      expect(exitCodeForCategory(category)).toBe(ExitCode.FAILED);
    expect(exitCodeForCategory(undefined)).toBe(ExitCode.CONFIGURATION);
    expect(exitCodeForCategory(undefined, ExitCode.FAILED)).toBe(ExitCode.FAILED);
  });
});
