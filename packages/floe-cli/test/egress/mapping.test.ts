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
      'columns "id" and "customer_id" would both be sent as "customer_id"',
    );
  });

  it('accepts no mapping and a valid mapping', () => {
    expect(mappingIssues(['id'], undefined, context)).toEqual([]);
    expect(mappingIssues(['id', 'e'], { e: 'email' }, context)).toEqual([]);
  });
});

describe('mappedColumns', () => {
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
