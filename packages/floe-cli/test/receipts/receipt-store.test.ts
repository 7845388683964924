import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiptStore } from '../../src/receipts/receipt-store.js';
import { newRunId } from '../../src/receipts/run-id.js';

describe('ReceiptStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'floe-receipts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes <state>/runs/<run-id>/<destination>.json and nothing before the first save', () => {
    const store = new ReceiptStore(join(dir, '.floe'), 'run-1');
    expect(readdirSync(dir)).toEqual([]);
    const file = store.save('crm', { ok: true });
    expect(file).toBe(join(dir, '.floe', 'runs', 'run-1', 'crm.json'));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ok: true });
    expect(readdirSync(store.runDir)).toEqual(['crm.json']);
  });

  it('refuses a destination name that is not a plain file name', () => {
    expect(() => new ReceiptStore(dir, 'r').save('../x', {})).toThrow(/not a destination name/);
  });
});

describe('newRunId', () => {
  it('sorts by start time', () => {
    expect(newRunId(new Date('2025-01-02T03:04:05.678Z'), () => 'abc123')).toBe('20250102T030405Z-abc123');
  });
});
