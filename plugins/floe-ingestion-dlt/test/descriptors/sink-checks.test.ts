import { describe, expect, it } from '@jest/globals';
import type { SinkConfig } from '@floe/core';
import { SinkConfigurationError } from '../../src/errors/index.js';
import { restApiSink } from '../../src/sinks/rest/rest-api-sink.js';
import { sqlDatabaseSink } from '../../src/sinks/sql/sql-database-descriptor.js';
import { resolveSqlSinkSettings } from '../../src/sinks/sql/sql-sink-settings.js';

const sqlCheck = sqlDatabaseSink.check as NonNullable<typeof sqlDatabaseSink.check>;
const restCheck = restApiSink.check as NonNullable<typeof restApiSink.check>;

/** The issues the sink itself raises when it is created with this config and secret url. */
function sinkIssues(config: Record<string, unknown>, url: string): { path: string; message: string }[] {
  const sinkConfig: SinkConfig = {
    name: 'warehouse',
    sinkType: 'sql_database',
    connectionConfig: { ...config, url },
  } as unknown as SinkConfig;
  try {
    resolveSqlSinkSettings(sinkConfig);
  } catch (error) {
    if (error instanceof SinkConfigurationError) return [...(error.issues ?? [])].map((i) => ({ ...i }));
    throw error;
  }
  return [];
}

describe('sql_database check', () => {
  it('passes a valid config, connection and columns', () => {
    expect(
      sqlCheck({
        config: { table: 'crm.customers', write_disposition: 'merge', primary_key: ['id'], max_concurrency: 2 },
        disposition: 'merge',
        connection: { url: 'postgres://app:pw@db:5432/analytics' },
        columns: ['id', 'name'],
      }),
    ).toEqual([]);
  });

  it('requires primary_key for merge, with the message the sink gives', () => {
    const config = { table: 't', write_disposition: 'merge' };
    const issues = sqlCheck({ config, disposition: 'merge' });
    expect(issues).toEqual([
      { path: 'config.primary_key', message: 'is required for write_disposition merge (the upsert key)' },
    ]);
    expect(sinkIssues(config, 'postgres://h/db')).toEqual(issues);
  });

  it('refuses a table that is not an identifier', () => {
    const issues = sqlCheck({ config: { table: 'x; drop table y' }, disposition: 'append' });
    expect(issues).toEqual([
      {
        path: 'config.table',
        message:
          'must be table or db_schema.table: "x; drop table y" must match ^[A-Za-z_][A-Za-z0-9_]*$ (letters, digits, underscore; not starting with a digit)',
      },
    ]);
    expect(sinkIssues({ table: 'x; drop table y' }, 'postgres://h/db')).toEqual(issues);
    expect(sqlCheck({ config: { table: 'a.b.c' }, disposition: 'append' })).toEqual([
      { path: 'config.table', message: '"a.b.c" must be table or db_schema.table' },
    ]);
  });

  it('refuses max_concurrency above 1 for SQLite, once the url is known', () => {
    const config = { table: 't', max_concurrency: 2 };
    expect(sqlCheck({ config, disposition: 'append' })).toEqual([]);
    const issues = sqlCheck({ config, disposition: 'append', connection: { url: 'sqlite:/tmp/q.db' } });
    expect(issues).toEqual([
      {
        path: 'config.max_concurrency',
        message: 'must be 1 for SQLite (one writer at a time), got 2: remove it or set 1',
      },
    ]);
    expect(sinkIssues(config, 'sqlite:/tmp/q.db')).toEqual(issues);
  });

  it.each([
    ['postgres:///db', "the connection secret's url has no host (postgres://host:port/database)"],
    [
      'ftp://x/y',
      `the connection secret's url has an unsupported scheme "ftp" (expected postgres, postgresql, mysql, mariadb or sqlite)`,
    ],
    [
      'not a url',
      "the connection secret's url is not a valid URL (expected postgres://…, mysql://…, mariadb://… or sqlite:<path>)",
    ],
    ['mysql://h', "the connection secret's url has no database (mysql://host:port/database)"],
  ])('refuses the secret url %s at connection_secret_ref', (url, message) => {
    const issues = sqlCheck({ config: { table: 't' }, disposition: 'append', connection: { url } });
    expect(issues).toEqual([{ path: 'connection_secret_ref', message }]);
    expect(sinkIssues({ table: 't' }, url)).toEqual([{ path: 'url', message }]);
  });

  it('refuses column names the database cannot take, and a merge key the data lacks', () => {
    const issues = sqlCheck({
      config: { table: 't', write_disposition: 'merge', primary_key: 'key' },
      disposition: 'merge',
      columns: ['id', 'first name', 'Id'],
    });
    expect(issues).toEqual([
      {
        path: 'source_table',
        message:
          'column name "first name" must match ^[A-Za-z_][A-Za-z0-9_]*$ (letters, digits, underscore; not starting with a digit); rename it with field_mapping',
      },
      { path: 'source_table', message: '"id" and "Id" differ only in case; rename one with field_mapping' },
      {
        path: 'config.primary_key[0]',
        message: '"key" is not a column of the data (after field mapping): id, first name, Id',
      },
    ]);
  });
});

describe('rest_api check', () => {
  it('has nothing to say without the secret, or with one credential', () => {
    expect(restCheck({ config: {}, disposition: 'append' })).toEqual([]);
    expect(restCheck({ config: {}, disposition: 'append', connection: { token: 't' } })).toEqual([]);
    expect(restCheck({ config: {}, disposition: 'append', connection: { username: 'u', password: 'p' } })).toEqual([]);
  });

  it('refuses a secret holding two credential methods', () => {
    expect(restCheck({ config: {}, disposition: 'append', connection: { token: 't', api_key: 'k' } })).toEqual([
      { path: 'connection_secret_ref', message: 'the secret must hold one of: token, username + password, api_key' },
    ]);
    expect(restCheck({ config: {}, disposition: 'append', connection: { token: 't', username: 'u' } })).toEqual([
      { path: 'connection_secret_ref', message: 'the secret must hold one of: token, username + password, api_key' },
      { path: 'connection_secret_ref', message: 'password: basic auth needs both username and password' },
    ]);
  });

  it('refuses a url that is not http(s) in its config schema, naming the fix', () => {
    const parsed = restApiSink.configSchema?.safeParse({ url: 'ftp://x/y' });
    expect(parsed?.success).toBe(false);
    expect(parsed?.error?.issues[0]?.message).toBe(
      'must be an http:// or https:// URL with a host, e.g. https://api.example.com/v1/contacts',
    );
  });
});
