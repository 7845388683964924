import { describe, expect, it } from '@jest/globals';
import { ExitCode, worstExitCode } from '../src/exit-code.js';

describe('worstExitCode', () => {
  it('orders interrupted > configuration > failed > partial > ok', () => {
    expect(worstExitCode(ExitCode.OK, ExitCode.PARTIAL)).toBe(ExitCode.PARTIAL);
    expect(worstExitCode(ExitCode.FAILED, ExitCode.PARTIAL)).toBe(ExitCode.FAILED);
    expect(worstExitCode(ExitCode.FAILED, ExitCode.CONFIGURATION)).toBe(ExitCode.CONFIGURATION);
    expect(worstExitCode(ExitCode.INTERRUPTED, ExitCode.CONFIGURATION)).toBe(ExitCode.INTERRUPTED);
  });
});
