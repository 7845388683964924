import { describe, expect, it } from '@jest/globals';
import { FloeError } from '@floe/core';
import { categorizeError, categorizeHttpStatus, categorizeSqlState, httpStatusOf } from '../../src/errors/index.js';

const withProps = (props: Record<string, unknown>): Error => Object.assign(new Error('x'), props);

describe('categorizeError', () => {
  it.each([
    [408, 'TRANSIENT'],
    [429, 'TRANSIENT'],
    [500, 'TRANSIENT'],
    [503, 'TRANSIENT'],
    [401, 'PERMANENT'],
    [403, 'PERMANENT'],
    [409, 'PERMANENT'],
    [400, 'CONFIGURATION'],
    [404, 'CONFIGURATION'],
    [405, 'CONFIGURATION'],
    [413, 'CONFIGURATION'],
    [422, 'CONFIGURATION'],
  ])('maps HTTP %i to %s', (status, category) => {
    expect(categorizeError(withProps({ statusCode: status }))).toBe(category);
    expect(categorizeError(withProps({ response: { statusCode: status } }))).toBe(category);
    expect(categorizeHttpStatus(status)).toBe(category);
  });

  it.each([
    ['08006', 'TRANSIENT'],
    ['40001', 'TRANSIENT'],
    ['40P01', 'TRANSIENT'],
    ['53300', 'TRANSIENT'],
    ['57014', 'TRANSIENT'],
    ['55P03', 'TRANSIENT'],
    ['22001', 'PERMANENT'],
    ['23505', 'PERMANENT'],
    ['28P01', 'PERMANENT'],
    ['42P01', 'CONFIGURATION'],
    ['42703', 'CONFIGURATION'],
    ['3D000', 'CONFIGURATION'],
  ])('maps SQLSTATE %s to %s', (code, category) => {
    expect(categorizeError(withProps({ code }))).toBe(category);
  });

  it.each([
    [1205, 'TRANSIENT'],
    [1213, 'TRANSIENT'],
    [2006, 'TRANSIENT'],
    [2013, 'TRANSIENT'],
    [1040, 'TRANSIENT'],
    [1062, 'PERMANENT'],
    [1048, 'PERMANENT'],
    [1264, 'PERMANENT'],
    [1406, 'PERMANENT'],
    [1366, 'PERMANENT'],
    [1146, 'CONFIGURATION'],
    [1054, 'CONFIGURATION'],
    [1064, 'CONFIGURATION'],
  ])('maps MySQL errno %i to %s', (errno, category) => {
    expect(categorizeError(withProps({ errno, code: 'ER_SOMETHING' }))).toBe(category);
  });

  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'ERR_GOT_REQUEST_ERROR',
    'SQLITE_BUSY',
  ])('maps socket / client code %s to TRANSIENT', (code) => {
    expect(categorizeError(withProps({ code, errno: -104 }))).toBe('TRANSIENT');
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated',
    'Client has encountered a connection error and is not queryable',
  ])('maps pg\'s code-less lost connection "%s" to TRANSIENT', (message) => {
    expect(categorizeError(new Error(message))).toBe('TRANSIENT');
    expect(categorizeError(new Error('writing batch 2', { cause: new Error(message) }))).toBe('TRANSIENT');
    // Only the driver's own words: the same text inside another message, or with a code, is not it.
    expect(categorizeError(new Error(`row 3: ${message}`))).toBe('PERMANENT');
    expect(categorizeError(Object.assign(new Error(message), { code: '23505' }))).toBe('PERMANENT');
  });

  it('reads names, sqlState, floe categories and the cause chain; unknown is PERMANENT', () => {
    expect(categorizeError(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toBe('TRANSIENT');
    expect(categorizeError(Object.assign(new Error('t'), { name: 'RequestError' }))).toBe('TRANSIENT');
    expect(categorizeError(withProps({ sqlState: '23000', errno: 9999 }))).toBe('PERMANENT');
    expect(categorizeError(withProps({ code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe('PERMANENT');
    expect(categorizeError(new FloeError('x', 'X', { category: 'CONFIGURATION' }))).toBe('CONFIGURATION');
    expect(categorizeError(new Error('wrapped', { cause: withProps({ code: 'ECONNRESET' }) }))).toBe('TRANSIENT');
    expect(categorizeError(new TypeError('bug'))).toBe('PERMANENT');
    expect(categorizeError('string')).toBe('PERMANENT');
    expect(categorizeError(withProps({ statusCode: 200 }))).toBe('PERMANENT');
    expect(categorizeSqlState('99999')).toBeUndefined();
    expect(httpStatusOf(null)).toBeUndefined();
    expect(httpStatusOf({ status: 'x' })).toBeUndefined();
  });
});
