import { describe, expect, it } from '@jest/globals';
import { comparableRows, normaliseValue, sampleTable, tableRows } from '../src/index.js';

describe('sample data', () => {
  it('has five rows of id, email and score', () => {
    const table = sampleTable();
    expect(table.numRows).toBe(5);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'email', 'score']);
    expect(tableRows(table)[3]).toEqual({ id: 4, email: 'zoë@example.com', score: 4 });
  });

  it('normalises values the way destinations return them', () => {
    expect(normaliseValue(5n)).toBe(5);
    expect(normaliseValue('3.25')).toBe(3.25);
    expect(normaliseValue(' ')).toBe(' ');
    expect(normaliseValue(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(normaliseValue('a@b')).toBe('a@b');
  });

  it('compares rows by key on the given fields only', () => {
    const rows = [
      { id: '10', email: 'b', _loaded_at: 'x' },
      { id: 9n, email: 'a' },
    ];
    expect(comparableRows(rows, ['id', 'email'], 'id')).toEqual([
      { id: 9, email: 'a' },
      { id: 10, email: 'b' },
    ]);
  });
});
