import { describe, expect, it } from '@jest/globals';
import type { LedgerRun } from '@floe/core';
import { effectiveStatus, processAlive } from '../src/run-status.js';

const run = (status: LedgerRun['status'], host = 'here', pid = 42): LedgerRun => ({ status, host, pid }) as LedgerRun;

describe('effectiveStatus', () => {
  it('shows a running run whose process is gone as interrupted', () => {
    expect(effectiveStatus(run('running'), { host: 'here', alive: () => false })).toBe('interrupted');
    expect(effectiveStatus(run('running'), { host: 'here', alive: () => true })).toBe('running');
  });

  it('keeps running for another host, and every finished status as recorded', () => {
    expect(effectiveStatus(run('running', 'elsewhere'), { host: 'here', alive: () => false })).toBe('running');
    for (const status of ['completed', 'failed', 'interrupted'] as const)
      expect(effectiveStatus(run(status), { alive: () => false })).toBe(status);
  });
});

describe('processAlive', () => {
  it('tells this process from one that does not exist', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(2 ** 22 + 12_345)).toBe(false);
  });
});
