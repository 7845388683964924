import { describe, it, expect } from '@jest/globals';
import { SinkConfig } from '@floe/core';
import knexModule from 'knex';
import { isSinkConfigurationError, type SinkConfigurationError } from '../../../src/errors/index.js';
import {
  createSqlDatabaseDestination,
  parseConnectionUrl,
  sqlDatabaseConfigSchema,
  sqlDatabaseSink,
  sqlTypeFor,
} from '../../../src/sinks/sql/index.js';
import { helperTableName, parseQualifiedName, quoteIdentifier } from '../../../src/sinks/sql/identifiers.js';
import { isCompatibleColumn, sqliteAffinity } from '../../../src/sinks/sql/type-compatibility.js';
import { PG_PASSWORD, PG_URL_WITH_PASSWORD } from './support/sql-sink.js';

function attempt(connectionConfig: Record<string, unknown>, name = 'dw'): SinkConfigurationError {
  try {
    createSqlDatabaseDestination(new SinkConfig({ sinkType: 'sql_database', name, connectionConfig }));
  } catch (error) {
    if (isSinkConfigurationError(error)) return error;
    throw error;
  }
  throw new Error('expected a SinkConfigurationError');
}

describe('sql_database configuration', () => {
  it('describes the sink type with its config schema', () => {
    expect(sqlDatabaseSink.sinkType).toBe('sql_database');
    expect(sqlDatabaseConfigSchema.parse({ table: 't' })).toEqual({
      table: 't',
      write_disposition: 'append',
      create_table: true,
      naming: 'snake_case',
    });
    expect(sqlDatabaseConfigSchema.safeParse({ table: 't', password: 'x' }).success).toBe(false);
  });

  it('builds a destination without connecting, named after the target without credentials', () => {
    const sink = createSqlDatabaseDestination(
      new SinkConfig({
        sinkType: 'sql_database',
        name: 'dw',
        batchSize: 500,
        connectionConfig: {
          url: PG_URL_WITH_PASSWORD,
          table: 'crm.customers',
          write_disposition: 'merge',
          primary_key: 'customer_id',
          password: PG_PASSWORD,
        },
      }),
    );
    expect(sink).toMatchObject({
      name: 'dw',
      sinkType: 'sql_database',
      tableName: 'crm.customers',
      batchSize: 500,
      maxParallelLoadJobs: 1,
      loaderFileFormat: 'arrow',
    });
    expect(sink.primaryKey).toEqual(['customer_id']);
    expect(sink.identity).toBe('sql_database:postgresql://127.0.0.1:5432/test/crm.customers');
  });

  it('lists every problem with its path before any connection', () => {
    const error = attempt({
      url: 'postgres://db/x',
      table: '1bad',
      write_disposition: 'merge',
      primary_key: ['ok', 'bad-key', 'ok'],
    });
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'config.table',
      'config.primary_key[1]',
      'config.primary_key[2]',
    ]);
    expect(error.message).toMatch(
      /^invalid sql_database destination "dw": config\.table: must be table or db_schema\.table: "1bad" must match/,
    );
    expect(error).toMatchObject({ category: 'CONFIGURATION', sinkType: 'sql_database', destination: 'dw' });
    expect(error.issues[2]?.message).toBe('"ok" is listed twice');
    const keyless = attempt({ url: 'postgres://db/x', table: 't', write_disposition: 'merge' });
    expect(keyless.issues).toEqual([
      { path: 'config.primary_key', message: 'is required for write_disposition merge (the upsert key)' },
    ]);
  });

  it('refuses unknown config keys, bad values and missing or unsupported URLs', () => {
    expect(attempt({ url: 'postgres://db/x', table: 't', write_dispositon: 'merge' }).issues[0]?.path).toBe('config');
    expect(attempt({ url: 'postgres://db/x', table: 't', write_disposition: 'upsert' }).issues[0]?.path).toBe(
      'config.write_disposition',
    );
    expect(attempt({ table: 't' }).issues).toEqual([
      { path: 'url', message: expect.stringMatching(/must provide a non-empty "url"/) },
    ]);
    expect(attempt({ url: 'oracle://db/x', table: 't' }).issues[0]?.message).toMatch(/unsupported scheme "oracle"/);
    expect(attempt({ url: 'mysql://db', table: 't' }).issues[0]?.message).toMatch(/has no database/);
    expect(attempt({ url: 'not a url', table: 't' }).issues[0]?.message).toMatch(/is not a valid URL/);
    expect(attempt({ url: 'sqlite:', table: 't' }).issues[0]?.message).toMatch(/no database path/);
    expect(attempt({ url: 'postgres://db/x', table: 'a.b.c' }).issues[0]?.message).toMatch(
      /must be table or db_schema\.table/,
    );
    expect(attempt({ url: 'postgres://db/x', table: 'x'.repeat(64) }).issues[0]?.message).toMatch(/longer than 63/);
  });

  it('writes one batch at a time unless max_concurrency says otherwise, and only one on SQLite', () => {
    const jobs = (connectionConfig: Record<string, unknown>): number =>
      createSqlDatabaseDestination(new SinkConfig({ sinkType: 'sql_database', connectionConfig })).maxParallelLoadJobs;
    expect(jobs({ url: 'postgres://db/x', table: 't' })).toBe(1);
    expect(jobs({ url: 'mysql://db/x', table: 't', max_concurrency: 2 })).toBe(2);
    expect(jobs({ url: 'sqlite::memory:', table: 't' })).toBe(1);
    expect(jobs({ url: 'mysql://db/x', table: 't', max_concurrency: 6 })).toBe(6);
    expect(attempt({ url: 'sqlite:/tmp/x.db', table: 't', max_concurrency: 2 }).issues).toEqual([
      {
        path: 'config.max_concurrency',
        message: 'must be 1 for SQLite (one writer at a time), got 2: remove it or set 1',
      },
    ]);
    expect(attempt({ url: 'postgres://db/x', table: 't', max_concurrency: 0 }).issues[0]?.path).toBe(
      'config.max_concurrency',
    );
    expect(attempt({ url: 'postgres://db/x', table: 't', max_concurrency: 1.5 }).issues[0]?.path).toBe(
      'config.max_concurrency',
    );
  });

  it('never puts the URL or its password into configuration errors', () => {
    const error = attempt({ url: PG_URL_WITH_PASSWORD, table: 'bad name' });
    expect(JSON.stringify({ message: error.message, issues: error.issues })).not.toContain(PG_PASSWORD);
  });

  it('accepts an injected knex instance and checks it matches the URL', async () => {
    const knex = knexModule.knex({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    try {
      const sink = createSqlDatabaseDestination(
        new SinkConfig({ sinkType: 'sql_database', connectionConfig: { table: 't' } }),
        { knex },
      );
      expect(sink.identity).toBe('sql_database:sqlite:injected/t');
      let thrown: unknown;
      try {
        createSqlDatabaseDestination(
          new SinkConfig({ sinkType: 'sql_database', connectionConfig: { table: 't', url: 'postgres://db/x' } }),
          { knex },
        );
      } catch (error) {
        thrown = error;
      }
      expect((thrown as Error).message).toMatch(/url: is a postgres URL but the injected knex instance is sqlite/);
    } finally {
      await knex.destroy();
    }
  });
});

describe('connection URLs', () => {
  it('parses each scheme into a knex configuration and a credential-free identity', () => {
    const pg = parseConnectionUrl('postgresql://app:p%40ss@db.internal/analytics?sslmode=require');
    expect(pg).toMatchObject({
      dialect: 'postgres',
      identity: 'postgresql://db.internal:5432/analytics',
      secrets: ['postgresql://app:p%40ss@db.internal/analytics?sslmode=require', 'p@ss', 'p%40ss'],
    });
    const maria = parseConnectionUrl('mariadb://root@127.0.0.1:3307/shop');
    expect(maria).toMatchObject({ dialect: 'mysql', mariadbScheme: true, identity: 'mariadb://127.0.0.1:3307/shop' });
    expect(parseConnectionUrl('sqlite::memory:')).toMatchObject({ dialect: 'sqlite', identity: 'sqlite::memory:' });
    expect(parseConnectionUrl('sqlite:///tmp/x.db')).toMatchObject({ identity: 'sqlite:/tmp/x.db' });
    expect(parseConnectionUrl('sqlite:data/x.db')).toMatchObject({ identity: `sqlite:${process.cwd()}/data/x.db` });
    expect(parseConnectionUrl('postgres:///x')).toEqual({ problem: 'has no host (postgres://host:port/database)' });
  });
});

describe('identifiers', () => {
  it('validates, quotes and derives helper names within the length limit', () => {
    expect(parseQualifiedName('crm.customers')).toEqual({ schema: 'crm', name: 'customers' });
    expect(parseQualifiedName('customers')).toEqual({ schema: undefined, name: 'customers' });
    expect(parseQualifiedName('a"b')).toBeUndefined();
    expect(quoteIdentifier('Customer_1', 'double')).toBe('"Customer_1"');
    expect(quoteIdentifier('x', 'backtick')).toBe('`x`');
    expect(() => quoteIdentifier('x"; drop', 'double')).toThrow(RangeError);
    const helper = helperTableName({ schema: 's', name: 'n'.repeat(63) }, 'new', 'abc123');
    expect(helper.name).toHaveLength(63);
    expect(helper.name.endsWith('__floe_new_abc123')).toBe(true);
  });
});

describe('type mapping and compatibility', () => {
  const int = (bits: 8 | 16 | 32 | 64, signed = true) => ({ kind: 'int', bits, signed }) as const;
  const decimal = (precision: number, scale: number) => ({ kind: 'decimal', precision, scale }) as const;

  it('maps keys to indexable MySQL types and refuses what a dialect cannot hold', () => {
    expect(sqlTypeFor('mysql', { kind: 'utf8' }, true)).toBe('varchar(255)');
    expect(sqlTypeFor('mysql', { kind: 'binary' }, true)).toBe('varbinary(255)');
    expect(sqlTypeFor('mysql', decimal(76, 40))).toMatch(/^!decimal\(76,40\) exceeds/);
    expect(sqlTypeFor('mysql', { kind: 'json' }, true)).toMatch(/^!/);
    expect(sqlTypeFor('postgres', int(32, false))).toBe('bigint');
    expect(sqlTypeFor('sqlite', int(64, false))).toBe('TEXT');
  });

  it('accepts widening and refuses anything that could change values', () => {
    expect(isCompatibleColumn('postgres', 'bigint', int(32))).toBe(true);
    expect(isCompatibleColumn('postgres', 'integer', int(64))).toBe(false);
    expect(isCompatibleColumn('postgres', 'integer', int(32, false))).toBe(false);
    expect(isCompatibleColumn('postgres', 'numeric(20,0)', int(64, false))).toBe(true);
    expect(isCompatibleColumn('postgres', 'numeric', decimal(38, 10))).toBe(true);
    expect(isCompatibleColumn('postgres', 'numeric(20,4)', decimal(10, 2))).toBe(true);
    expect(isCompatibleColumn('postgres', 'numeric(12,2)', decimal(12, 4))).toBe(false);
    expect(isCompatibleColumn('postgres', 'real', { kind: 'float', bits: 64 })).toBe(false);
    expect(isCompatibleColumn('postgres', 'character varying(20)', { kind: 'utf8' })).toBe(true);
    expect(
      isCompatibleColumn('postgres', 'timestamp without time zone', { kind: 'timestamp', unit: 2, timezone: 'UTC' }),
    ).toBe(false);
    expect(
      isCompatibleColumn('postgres', 'timestamp(3) with time zone', { kind: 'timestamp', unit: 2, timezone: 'UTC' }),
    ).toBe(false);
    expect(isCompatibleColumn('postgres', 'json', { kind: 'json' })).toBe(true);
    expect(isCompatibleColumn('postgres', 'text', { kind: 'null' })).toBe(true);
    expect(isCompatibleColumn('mysql', 'bigint(20) unsigned', int(64, false))).toBe(true);
    expect(isCompatibleColumn('mysql', 'bigint(20) unsigned', int(8))).toBe(false);
    expect(isCompatibleColumn('mysql', 'int(11)', int(16, false))).toBe(true);
    expect(isCompatibleColumn('mysql', 'decimal(20,0) unsigned', int(64))).toBe(false);
    expect(isCompatibleColumn('mysql', 'decimal(20,0)', int(64, false))).toBe(true);
    expect(isCompatibleColumn('mysql', 'tinyint(1)', { kind: 'bool' })).toBe(true);
    expect(isCompatibleColumn('mysql', 'varchar(10)', { kind: 'utf8' })).toBe(true);
    expect(isCompatibleColumn('mysql', 'blob', { kind: 'binary' })).toBe(true);
    expect(isCompatibleColumn('mysql', 'datetime', { kind: 'timestamp', unit: 2, timezone: undefined })).toBe(false);
    expect(isCompatibleColumn('mysql', 'longtext', { kind: 'json' })).toBe(true);
    expect(isCompatibleColumn('mysql', 'time(6)', { kind: 'time', unit: 2 })).toBe(true);
    expect(isCompatibleColumn('sqlite', 'BIGINT', int(64))).toBe(true);
    expect(isCompatibleColumn('sqlite', 'REAL', int(64))).toBe(false);
    expect(isCompatibleColumn('sqlite', '', { kind: 'binary' })).toBe(true);
    expect(isCompatibleColumn('sqlite', 'DECIMAL(10,2)', decimal(10, 2))).toBe(false);
    expect(isCompatibleColumn('sqlite', 'VARCHAR(3)', { kind: 'date' })).toBe(true);
    expect(isCompatibleColumn('sqlite', 'DOUBLE', { kind: 'float', bits: 64 })).toBe(true);
    expect(sqliteAffinity('CLOB')).toBe('TEXT');
    expect(sqliteAffinity('DATETIME')).toBe('NUMERIC');
  });
});
