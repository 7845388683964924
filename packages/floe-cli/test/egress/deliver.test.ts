import { describe, expect, it } from '@jest/globals';
import { EgressResult } from '@floe/core';
import { exitCodeOf } from '../../src/egress/deliver.js';

const base = {
  rowsDelivered: 1,
  bytesTransmitted: 1,
  durationSeconds: 0,
  checksum: 'a'.repeat(64),
  deliveryTimestamp: new Date(0),
  idempotencyKey: 'k',
};

describe('exitCodeOf', () => {
  it('maps delivered, partial and interrupted to 0, 2 and 130', () => {
    expect(exitCodeOf('delivered', undefined, undefined)).toBe(0);
    expect(exitCodeOf('partial', undefined, undefined)).toBe(2);
    expect(exitCodeOf('interrupted', undefined, undefined)).toBe(130);
  });

  it('gives 3 for a failure made only of configuration errors and 1 otherwise', () => {
    const config = new EgressResult({
      ...base,
      success: false,
      errors: [{ message: 'HTTP 404', category: 'CONFIGURATION', batch: 0 }],
    });
    const transient = new EgressResult({
      ...base,
      success: false,
      errors: [{ message: 'ECONNREFUSED', category: 'TRANSIENT', batch: 0 }],
    });
    expect(exitCodeOf('failed', config, undefined)).toBe(3);
    expect(exitCodeOf('failed', transient, undefined)).toBe(1);
    expect(exitCodeOf('failed', undefined, Object.assign(new Error('x'), { category: 'TRANSIENT' }))).toBe(1);
    expect(exitCodeOf('failed', undefined, new Error('no category'))).toBe(1);
  });
});
