import { describe, expect, it } from '@jest/globals';
import {
  ErrorCategory,
  SinkWhitelistError,
  isFloeError,
  isSinkWhitelistError,
  validateSinkWhitelist,
} from '../src/index.js';

describe('validateSinkWhitelist', () => {
  it('allows any sink type when no list is given', () => {
    expect(() => validateSinkWhitelist('anything', undefined)).not.toThrow();
  });

  it('allows an approved sink type', () => {
    expect(() => validateSinkWhitelist('rest_api', ['rest_api', 'sql_database'])).not.toThrow();
  });

  it('rejects an unapproved sink type with a SinkWhitelistError naming the approved list', () => {
    let error: unknown;
    try {
      validateSinkWhitelist('salesforce', ['rest_api', 'sql_database']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SinkWhitelistError);
    expect(isSinkWhitelistError(error) && isFloeError(error)).toBe(true);
    const e = error as SinkWhitelistError;
    expect(e).toMatchObject({
      name: 'SinkWhitelistError',
      code: 'SINK_WHITELIST',
      category: ErrorCategory.CONFIGURATION,
      sinkType: 'salesforce',
    });
    expect(e.approvedSinks).toEqual(['rest_api', 'sql_database']);
    expect(e.message).toBe(
      'sink type "salesforce" is not approved by the platform manifest (approved_sinks: rest_api, sql_database)',
    );
  });

  it('rejects everything when the list is empty', () => {
    expect(() => validateSinkWhitelist('rest_api', [])).toThrow('(approved_sinks: none)');
  });

  it('copies and freezes the approved list', () => {
    const approved = ['rest_api'];
    const error = new SinkWhitelistError('x', approved);
    approved.push('y');
    expect(error.approvedSinks).toEqual(['rest_api']);
    expect(Object.isFrozen(error.approvedSinks)).toBe(true);
  });
});
