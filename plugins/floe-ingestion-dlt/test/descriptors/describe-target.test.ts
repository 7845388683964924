import { describe, expect, it } from '@jest/globals';
import { restApiSink } from '../../src/sinks/rest/rest-api-sink.js';
import { sqlDatabaseSink } from '../../src/sinks/sql/sql-database-descriptor.js';
import { describeDatabaseUrl } from '../../src/sinks/sql/sqlite-url.js';

const describeTarget = (sinkType: string, config: Record<string, unknown>, connection?: Record<string, string>) =>
  (sinkType === 'rest_api' ? restApiSink : sqlDatabaseSink).describeTarget?.(config, connection);

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

describe('sqlDatabaseSink.resolveConnection', () => {
  it('resolves a relative sqlite file against floe.yaml and passes other keys through', () => {
    expect(sqlDatabaseSink.resolveConnection?.({ url: 'sqlite:out/q.db' }, { baseDir: '/proj' })).toEqual({
      url: 'sqlite:/proj/out/q.db',
    });
    expect(sqlDatabaseSink.resolveConnection?.({ token: 't' }, { baseDir: '/proj' })).toEqual({ token: 't' });
  });
});

describe('restApiSink.derivedSecrets', () => {
  it('gives the Basic credential derived from username and password', () => {
    expect(restApiSink.derivedSecrets?.({ username: 'u', password: 'p' })).toEqual([
      Buffer.from('u:p').toString('base64'),
    ]);
    expect(restApiSink.derivedSecrets?.({ token: 't' })).toEqual([]);
  });
});
