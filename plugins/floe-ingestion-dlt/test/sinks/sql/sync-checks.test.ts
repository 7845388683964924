import { describe, it, expect } from '@jest/globals';
import type { PlannedSync } from '@floe/core';
import { sqlDatabaseConfigSchema, sqlDatabaseSink } from '../../../src/sinks/sql/index.js';

const sync = (over: Partial<PlannedSync>): PlannedSync => ({
  mode: 'upsert',
  changesOnly: true,
  onDelete: 'delete',
  maxDeleteFraction: 0.2,
  primaryKey: [],
  from: 'sync',
  ...over,
});

const check = (config: Record<string, unknown>, planned?: PlannedSync, columns?: readonly string[]) =>
  sqlDatabaseSink.check?.({
    config: sqlDatabaseConfigSchema.parse(config),
    disposition: String(config.write_disposition ?? 'append'),
    ...(planned && { sync: planned }),
    ...(columns && { columns }),
  });

describe('sql_database sync checks', () => {
  it('declares every sync mode', () => {
    expect(sqlDatabaseSink.capabilities?.syncModes).toEqual([
      'append',
      'replace',
      'insert',
      'update',
      'upsert',
      'mirror',
    ]);
  });

  it('a keyed mode needs a key: the sync primary_key, or config.primary_key as for merge', () => {
    expect(check({ table: 't' }, sync({ mode: 'mirror' }))).toEqual([
      {
        path: 'primary_key',
        message: expect.stringMatching(/required by sync mode "mirror".*primary_key: \[customer_id\]/),
      },
    ]);
    expect(check({ table: 't' }, sync({ mode: 'update', primaryKey: ['customer_id'] }))).toEqual([]);
    expect(check({ table: 't', primary_key: ['id'] }, sync({ mode: 'insert' }))).toEqual([]);
    expect(check({ table: 't' }, sync({ mode: 'append' }))).toEqual([]);
    expect(check({ table: 't' }, sync({ mode: 'replace' }))).toEqual([]);
  });

  it('archive needs soft_delete_column, a name of its own', () => {
    const archive = sync({ mode: 'mirror', onDelete: 'archive', primaryKey: ['id'] });
    expect(check({ table: 't' }, archive)).toEqual([
      {
        path: 'config.soft_delete_column',
        message: expect.stringMatching(/required by sync on_delete: archive.*soft_delete_column: deleted_at/),
      },
    ]);
    expect(check({ table: 't', soft_delete_column: 'deleted_at' }, archive, ['id', 'name'])).toEqual([]);
    expect(check({ table: 't', soft_delete_column: 'name' }, archive, ['id', 'name'])).toEqual([
      { path: 'config.soft_delete_column', message: expect.stringMatching(/"name" is a column of the data/) },
    ]);
    expect(check({ table: 't', soft_delete_column: 'bad name' }, archive)).toEqual([
      { path: 'config.soft_delete_column', message: expect.any(String) },
    ]);
  });

  it('write_disposition merge keeps needing config.primary_key without a sync', () => {
    const alias = sync({ mode: 'upsert', from: 'write_disposition' });
    expect(check({ table: 't', write_disposition: 'merge' }, alias)).toEqual([
      { path: 'config.primary_key', message: 'is required for write_disposition merge (the upsert key)' },
    ]);
    expect(check({ table: 't', write_disposition: 'merge' })).toEqual([
      { path: 'config.primary_key', message: 'is required for write_disposition merge (the upsert key)' },
    ]);
  });
});
