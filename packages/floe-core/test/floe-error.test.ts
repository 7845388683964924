import { describe, expect, it } from '@jest/globals';
import {
  ConfigValidationError,
  ERROR_CATEGORIES,
  ErrorCategory,
  FloeError,
  formatIssue,
  isFloeError,
} from '../src/index.js';

describe('FloeError', () => {
  it('carries name, code, category and cause', () => {
    const cause = new Error('socket hang up');
    const error = new FloeError('write failed', 'SINK_WRITE', { category: ErrorCategory.TRANSIENT, cause });
    expect(error).toMatchObject({
      name: 'FloeError',
      code: 'SINK_WRITE',
      category: 'TRANSIENT',
      message: 'write failed',
    });
    expect(error.cause).toBe(cause);
  });

  it('defaults to PERMANENT and no cause', () => {
    const error = new FloeError('x', 'X');
    expect(error.category).toBe('PERMANENT');
    expect('cause' in error).toBe(false);
  });

  it('is recognised by its brand even from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('floe.error')]: true });
    expect(isFloeError(foreign)).toBe(true);
    expect(isFloeError(new Error('x'))).toBe(false);
    expect(isFloeError(null)).toBe(false);
  });

  it('lists the four categories', () => {
    expect(ERROR_CATEGORIES).toEqual(['TRANSIENT', 'PERMANENT', 'PARTIAL', 'CONFIGURATION']);
  });
});

describe('ConfigValidationError', () => {
  it('formats every issue as file: path: message', () => {
    const error = new ConfigValidationError(
      [
        { file: 'floe.yaml', path: 'destinations[1].batch_size', message: 'must be ≥ 1' },
        { path: '', message: 'is empty' },
      ],
      { subject: 'floe.yaml' },
    );
    expect(error.lines()).toEqual(['floe.yaml: destinations[1].batch_size: must be ≥ 1', 'is empty']);
    expect(error.message).toBe(
      'floe.yaml is invalid:\n  floe.yaml: destinations[1].batch_size: must be ≥ 1\n  is empty',
    );
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', category: 'CONFIGURATION', name: 'ConfigValidationError' });
    expect(Object.isFrozen(error.issues[0])).toBe(true);
  });

  it('has a generic head without a subject', () => {
    expect(new ConfigValidationError([{ path: 'a', message: 'b' }]).message).toBe('invalid configuration:\n  a: b');
    expect(formatIssue({ file: 'f', path: '', message: 'm' })).toBe('f: m');
  });
});
