import { describe, expect, it } from '@jest/globals';
import { readBackSqlDestination, quoteTable } from '../../src/sinks/sql/read-back.js';

describe('readBackSqlDestination', () => {
  it('quotes schema-qualified table names', () => {
    expect(quoteTable('crm.contacts')).toBe('"crm"."contacts"');
    expect(quoteTable('we"ird')).toBe('"we""ird"');
  });

  it('says why a destination cannot be read back', async () => {
    expect(await readBackSqlDestination({ table: 't' }, { url: 'mysql://h/db' }, 5)).toMatchObject({
      ok: false,
    });
  });

  it('reads SQLite through the injected driver loader', async () => {
    const sql: string[] = [];
    const load = async () => ({
      default: class {
        prepare(text: string) {
          sql.push(text);
          return { all: (limit: number) => [{ id: limit }], columns: () => [{ name: 'id' }] };
        }
        close() {}
      },
    });
    expect(await readBackSqlDestination({ table: 'main.t' }, { url: 'sqlite:/tmp/x.db' }, 3, load)).toEqual({
      ok: true,
      columns: ['id'],
      rows: [{ id: 3 }],
    });
    expect(sql).toEqual(['SELECT * FROM "main"."t" LIMIT ?']);
  });
});
