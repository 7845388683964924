import { describe, it, expect } from '@jest/globals';
import { ChunkPool } from '../../../src/sinks/sql/encode/chunk-pool.js';
import { PayloadLedger } from '../../../src/engine/destination/payload-ledger.js';

describe('ChunkPool', () => {
  it('hands a given-back buffer out again for a chunk it fits', () => {
    const pool = new ChunkPool();
    const first = pool.take(600_000);
    expect(first.length).toBe(600_000);
    pool.give(first);
    expect(pool.size).toBe(1);
    const again = pool.take(100_000);
    expect(again.buffer).toBe(first.buffer);
    expect(again.length).toBe(100_000);
    expect(pool.size).toBe(0);
    // Nothing free that fits: a new buffer.
    pool.give(again);
    expect(pool.take(2_000_000).buffer).not.toBe(first.buffer);
  });

  it('ignores buffers it cannot own whole: views into a buffer, small buffers, beyond its limit', () => {
    const pool = new ChunkPool(1);
    const big = Buffer.allocUnsafeSlow(1 << 20);
    pool.give(big.subarray(10));
    pool.give(Buffer.from('small'));
    expect(pool.size).toBe(0);
    pool.give(big);
    pool.give(Buffer.allocUnsafeSlow(1 << 20));
    expect(pool.size).toBe(1);
  });
});

describe('PayloadLedger.add', () => {
  it('says whether a chunk was hashed at once (reusable) or kept for its turn', () => {
    const ledger = new PayloadLedger();
    expect(ledger.add(0, Buffer.from('a'))).toBe(true);
    expect(ledger.add(1, Buffer.from('b'))).toBe(false);
    ledger.complete(0);
    expect(ledger.add(1, 'c')).toBe(true);
  });
});
