import { describe, expect, it } from '@jest/globals';
import { resolveSqliteUrl, sqliteFile } from '../../src/sinks/sql/sqlite-url.js';

describe('sqlite URLs', () => {
  it('makes a relative sqlite file absolute against floe.yaml', () => {
    expect(resolveSqliteUrl('sqlite:out/q.db', '/proj')).toBe('sqlite:/proj/out/q.db');
    expect(resolveSqliteUrl('sqlite:///abs/q.db', '/proj')).toBe('sqlite:/abs/q.db');
    expect(resolveSqliteUrl('sqlite::memory:', '/proj')).toBe('sqlite::memory:');
    expect(resolveSqliteUrl('postgres://h/db', '/proj')).toBe('postgres://h/db');
    expect(sqliteFile('sqlite:/proj/q.db')).toBe('/proj/q.db');
    expect(sqliteFile('postgres://h/db')).toBeUndefined();
  });
});
