import { describe, expect, it } from '@jest/globals';
import { EMPTY_CHECKSUM, EgressResult, ErrorCategory } from '../src/index.js';
import type { EgressResultInit, ConfigValidationError } from '../src/index.js';

const base: EgressResultInit = {
  success: true,
  rowsDelivered: 3,
  bytesTransmitted: 120,
  durationSeconds: 0.5,
  checksum: 'a'.repeat(64),
  deliveryTimestamp: '2026-02-10T12:00:00.000Z',
  idempotencyKey: 'crm:abc',
};

function issuesOf(init: EgressResultInit): string[] {
  try {
    new EgressResult(init);
  } catch (error) {
    return (error as ConfigValidationError).lines();
  }
  throw new Error('expected a ConfigValidationError');
}

describe('EgressResult', () => {
  it('holds the nine FR-003 fields with empty lists by default', () => {
    const result = new EgressResult(base);
    expect(Object.keys(result).sort()).toEqual([
      'bytesTransmitted',
      'checksum',
      'deliveryTimestamp',
      'destinationRecordIds',
      'durationSeconds',
      'errors',
      'idempotencyKey',
      'rowsDelivered',
      'success',
    ]);
    expect(result.destinationRecordIds).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.status).toBe('delivered');
    expect(Object.isFrozen(result)).toBe(true);
  });

  it('never shares its lists with the caller or another receipt', () => {
    const ids = ['1'];
    const one = new EgressResult({ ...base, destinationRecordIds: ids });
    const two = new EgressResult(base);
    ids.push('2');
    expect(one.destinationRecordIds).toEqual(['1']);
    expect(one.errors).not.toBe(two.errors);
    expect(one.destinationRecordIds).not.toBe(two.destinationRecordIds);
    expect(Object.isFrozen(one.errors)).toBe(true);
  });

  it('converts a Date timestamp to ISO UTC', () => {
    expect(new EgressResult({ ...base, deliveryTimestamp: new Date(0) }).deliveryTimestamp).toBe(
      '1970-01-01T00:00:00.000Z',
    );
  });

  it('tells partial from failed delivery', () => {
    const rowError = { message: 'rejected', category: ErrorCategory.PERMANENT, row: 2, httpStatus: 422 };
    const partial = new EgressResult({ ...base, success: false, errors: [rowError] });
    expect(partial.status).toBe('partial');
    expect(partial.rowsRejected).toBe(1);
    const failed = new EgressResult({
      ...base,
      success: false,
      rowsDelivered: 0,
      errors: [{ message: 'down', category: ErrorCategory.TRANSIENT, batch: 0 }],
    });
    expect(failed.status).toBe('failed');
    expect(failed.rowsRejected).toBe(0);
  });

  it('takes an empty checksum when a failed delivery sent nothing (no payload to check)', () => {
    const failed = new EgressResult({
      ...base,
      success: false,
      rowsDelivered: 0,
      bytesTransmitted: 0,
      checksum: '',
      errors: [{ message: 'down', category: ErrorCategory.TRANSIENT }],
    });
    expect(failed.toJSON()).toMatchObject({ status: 'failed', checksum: '' });
  });

  it('serialises to plain JSON with status', () => {
    const json = new EgressResult({ ...base, checksum: EMPTY_CHECKSUM, destinationRecordIds: ['a'] }).toJSON();
    expect(json).toMatchObject({
      success: true,
      status: 'delivered',
      rowsRejected: 0,
      destinationRecordIds: ['a'],
      checksum: EMPTY_CHECKSUM,
    });
  });

  it.each<[Partial<EgressResultInit>, string]>([
    [{ rowsDelivered: -1 }, 'rowsDelivered: must be a whole number ≥ 0'],
    [{ bytesTransmitted: 1.5 }, 'bytesTransmitted: must be a whole number ≥ 0'],
    [{ durationSeconds: Number.NaN }, 'durationSeconds: must be a number ≥ 0'],
    [
      { checksum: 'ABC' },
      "checksum: must be a lower-case hex SHA-256 (64 characters), or '' for a failed delivery that sent nothing",
    ],
    [
      { checksum: '' },
      "checksum: must be a lower-case hex SHA-256 (64 characters), or '' for a failed delivery that sent nothing",
    ],
    [{ deliveryTimestamp: '2026-02-10 12:00' }, 'deliveryTimestamp: must be an ISO-8601 UTC timestamp ending in Z'],
    [{ idempotencyKey: '' }, 'idempotencyKey: must be a non-empty string'],
    [{ success: false }, 'errors: a failed delivery must say why: give at least one error'],
    [{ destinationRecordIds: [1 as unknown as string] }, 'destinationRecordIds[0]: must be a string'],
  ])('rejects %j', (change, line) => {
    expect(issuesOf({ ...base, ...change })).toEqual([line]);
  });
});
