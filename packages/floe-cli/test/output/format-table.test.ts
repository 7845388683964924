import { describe, expect, it } from '@jest/globals';
import { cellText, formatTable } from '../../src/output/format-table.js';

describe('formatTable', () => {
  it('aligns columns and shows NULL for missing values', () => {
    expect(
      formatTable([
        { id: 1, name: 'alice' },
        { id: 22, name: null },
      ]),
    ).toEqual(['id | name', '---+------', '1  | alice', '22 | NULL']);
  });

  it('renders bigint, dates, objects and long text readably', () => {
    expect(cellText(12n)).toBe('12');
    expect(cellText(new Date('2024-01-02T00:00:00Z'))).toBe('2024-01-02T00:00:00.000Z');
    expect(cellText({ a: [1] })).toBe('{"a":[1]}');
    expect(cellText('x'.repeat(50))).toHaveLength(32);
  });
});

describe('formatTable with a width', () => {
  it('keeps the leading columns that fit and names the others', () => {
    const rows = [{ a: 'aaaa', b: 'bbbb', c: 'cccc' }];
    expect(formatTable(rows, undefined, 15)).toEqual([
      'a    | b    | …',
      '-----+------+--',
      'aaaa | bbbb | …',
      '(1 more column: c)',
    ]);
    expect(formatTable(rows, undefined, 18)).toEqual(['a    | b    | c', '-----+------+-----', 'aaaa | bbbb | cccc']);
  });
});
