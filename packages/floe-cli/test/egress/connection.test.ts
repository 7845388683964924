import { describe, expect, it } from '@jest/globals';
import { connectionValues, describeDatabaseUrl, describeTarget } from '../../src/egress/connection.js';

describe('describeTarget', () => {
  it('describes a database URL without its credentials', () => {
    expect(describeDatabaseUrl('postgres://app:s3cret@db.internal:5432/crm?sslmode=require')).toBe(
      'postgres://db.internal:5432/crm',
    );
    expect(describeDatabaseUrl('sqlite:/p/out/q.db')).toBe('sqlite /p/out/q.db');
    expect(describeTarget('sql_database', { table: 'crm.contacts' }, { url: 'postgres://u:pw@h:5432/d' })).toBe(
      'postgres://h:5432/d table crm.contacts',
    );
  });

  it('describes a REST target by method and URL', () => {
    expect(describeTarget('rest_api', { url: 'https://api.example.com/v1/contacts' })).toBe(
      'POST https://api.example.com/v1/contacts',
    );
    expect(describeTarget('rest_api', { url: 'https://x/y', method: 'put' })).toBe('PUT https://x/y');
  });
});

describe('connectionValues', () => {
  it('resolves a relative sqlite file against floe.yaml and passes other keys through', () => {
    expect(connectionValues({ name: 'q', values: { url: 'sqlite:out/q.db' }, origins: {} }, '/proj')).toEqual({
      url: 'sqlite:/proj/out/q.db',
    });
    expect(connectionValues({ name: 'a', values: { token: 't' }, origins: {} }, '/proj')).toEqual({ token: 't' });
  });
});
