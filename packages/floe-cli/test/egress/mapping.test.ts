import { describe, expect, it } from '@jest/globals';
import { Decimal, Int64 } from 'apache-arrow';
import { mappedColumns, mappingIssues } from '../../src/egress/mapping.js';

describe('mappingIssues', () => {
  const context = { file: 'floe.yaml', index: 1, table: 'gold.orders' };

  it('names a mapped column the table does not have, with the columns it does have', () => {
    expect(mappingIssues(['id', 'email'], { emial: 'email_address' }, context)).toEqual([
      {
        file: 'floe.yaml',
        path: 'destinations[1].field_mapping.emial',
        message: 'column "emial" is not in source table gold.orders (its columns: id, email)',
      },
    ]);
  });

  it('flags two columns that would arrive under one name', () => {
    expect(mappingIssues(['id', 'customer_id'], { id: 'customer_id' }, context)[0]?.message).toBe(
      'columns "id" and "customer_id" would both be sent as "customer_id": rename one with field_mapping',
    );
  });

  it('flags two columns named alike by the naming convention, suggesting a field_mapping', () => {
    const snake = (name: string): string => name.toLowerCase().replace(/ /g, '_');
    expect(mappingIssues(['user_id', 'User Id'], undefined, context, snake)[0]?.message).toBe(
      'columns "user_id" and "User Id" would both be sent as "user_id" (after the naming convention): ' +
        'rename one with field_mapping, e.g. field_mapping: { "User Id": user_id_2 }',
    );
    expect(mappingIssues(['user_id', 'User Id'], { 'User Id': 'uid' }, context, snake)).toEqual([]);
  });

  it('accepts no mapping and a valid mapping', () => {
    expect(mappingIssues(['id'], undefined, context)).toEqual([]);
    expect(mappingIssues(['id', 'e'], { e: 'email' }, context)).toEqual([]);
  });
});

describe('mappedColumns', () => {
  it('names the columns field_mapping does not rename by the naming convention; a mapping is used as written', () => {
    const snake = (name: string): string => name.toLowerCase().replace(/ /g, '_');
    expect(
      mappedColumns(
        [
          { name: 'Breed Name', type: new Int64() },
          { name: 'Ear Type', type: new Int64() },
        ],
        { 'Ear Type': 'EarType' },
        snake,
      ).map((column) => column.target),
    ).toEqual(['breed_name', 'EarType']);
  });

  it('renames mapped columns and keeps the others', () => {
    expect(
      mappedColumns(
        [
          { name: 'a', type: new Int64() },
          { name: 'b', type: new Decimal(2, 15, 128) },
        ],
        { a: 'x' },
      ),
    ).toEqual([
      { source: 'a', target: 'x', type: 'int64' },
      { source: 'b', target: 'b', type: 'decimal(15,2)' },
    ]);
  });
});
