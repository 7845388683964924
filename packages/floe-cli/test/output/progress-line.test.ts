import { describe, expect, it } from '@jest/globals';
import { formatDuration, formatProgress, ProgressLine } from '../../src/output/progress-line.js';
import { Terminal } from '../../src/output/terminal.js';
import { Redactor } from '../../src/secrets/redactor.js';

describe('formatProgress', () => {
  it('shows rows, rate and ETA with a bar when the total is known', () => {
    const line = formatProgress({ label: 'crm', rows: 500, total: 1000, elapsedMs: 1000, width: 100 });
    expect(line).toMatch(/^crm \[█+░+\] {2}500\/1,000 rows {2}500 rows\/s {2}ETA 1s$/);
  });

  it('leaves the bar out when the terminal is narrow or the total unknown', () => {
    expect(formatProgress({ label: 'crm', rows: 10, total: undefined, elapsedMs: 2000, width: 80 })).toBe(
      'crm  10 rows  5 rows/s',
    );
    expect(formatProgress({ label: 'crm', rows: 1, total: 2, elapsedMs: 1000, width: 20 })).not.toContain('[');
  });
});

describe('formatDuration', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3700)).toBe('1h01m');
    expect(formatDuration(Number.NaN)).toBe('--');
    expect(formatDuration(1.26, true)).toBe('1.3s');
  });
});

describe('ProgressLine', () => {
  it('redraws at most once per interval and ends with a newline', () => {
    const written: string[] = [];
    let clock = 0;
    const stderr = { write: (text: string) => written.push(text), isTTY: true, columns: 80 };
    const terminal = new Terminal({ write: () => true }, stderr, new Redactor());
    const bar = new ProgressLine(terminal, 'x', 100, { now: () => clock, intervalMs: 100 });
    bar.update(10);
    clock = 50;
    bar.update(20);
    clock = 150;
    bar.update(30);
    bar.finish();
    expect(written.filter((text) => text.startsWith('\r'))).toHaveLength(3);
    expect(written.at(-1)).toBe('\n');
    expect(written[0]).toContain('10/100 rows');
  });
});
