import { describe, expect, it } from '@jest/globals';
import { parseSourceTable } from '../../src/source/source-ref.js';

describe('parseSourceTable', () => {
  it('reads a dotted name as a catalog identifier', () => {
    expect(parseSourceTable('gold.customers', '/p')).toEqual({
      kind: 'catalog',
      identifier: 'gold.customers',
      written: 'gold.customers',
    });
  });

  it('reads paths, metadata files and URIs as locations relative to floe.yaml', () => {
    expect(parseSourceTable('data/orders', '/p')).toMatchObject({ kind: 'location', location: '/p/data/orders' });
    expect(parseSourceTable('./orders', '/p')).toMatchObject({ kind: 'location', location: '/p/orders' });
    expect(parseSourceTable('v2.metadata.json', '/p')).toMatchObject({
      kind: 'location',
      location: '/p/v2.metadata.json',
    });
    expect(parseSourceTable('s3://b/t', '/p')).toMatchObject({ kind: 'location', location: 's3://b/t' });
  });
});
