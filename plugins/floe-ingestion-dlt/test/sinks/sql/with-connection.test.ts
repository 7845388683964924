import { describe, it, expect } from '@jest/globals';
import knexModule from 'knex';
import type { Client } from 'pg';
import { isBroken, withConnection } from '../../../src/sinks/sql/internal/with-connection.js';

const PG_URL = process.env.FLOE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('withConnection', () => {
  it('never hands out a pooled PostgreSQL connection whose session was killed', async () => {
    // One connection in the pool: without the check, the next caller would get the dead one back.
    const knex = knexModule.knex({ client: 'pg', connection: PG_URL, pool: { min: 0, max: 1 } });
    const admin = knexModule.knex({ client: 'pg', connection: PG_URL, pool: { min: 0, max: 1 } });
    try {
      let first: Client | undefined;
      const failure = await withConnection<Client, unknown>(knex, async (client) => {
        first = client;
        const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
        await admin.raw('SELECT pg_terminate_backend(?)', [pid]);
        // The query fails at once; the client itself may learn that the socket closed only later.
        await client.query('SELECT 1');
      }).catch((error: unknown) => error);
      // Depending on which the client reads first, the failure is the server's FATAL 57P01 or the closed socket.
      const { code, message } = failure as { code?: string; message: string };
      expect(code === '57P01' || /terminat|not queryable|ended/i.test(message)).toBe(true);
      const answer = await withConnection<Client, unknown>(knex, async (client) => {
        expect(client === first).toBe(false); // (not toBe: a pg.Client prints pages)
        return (await client.query('SELECT 41 + 1 AS n')).rows[0].n;
      });
      expect(answer).toBe(42);
    } finally {
      await knex.destroy();
      await admin.destroy();
    }
  });

  it('keeps a connection whose statement failed on its data', async () => {
    const knex = knexModule.knex({ client: 'pg', connection: PG_URL, pool: { min: 0, max: 1 } });
    try {
      let first: Client | undefined;
      const failure = await withConnection<Client, unknown>(knex, async (client) => {
        first = client;
        await client.query("SELECT 'x'::int");
      }).catch((error: unknown) => error);
      expect((failure as { code?: string }).code).toBe('22P02');
      await withConnection<Client, void>(knex, async (client) => {
        expect(client).toBe(first);
      });
    } finally {
      await knex.destroy();
    }
  });

  it('tells a working connection from a broken one', () => {
    expect(isBroken({ _queryable: true, _ending: false })).toBe(false);
    expect(isBroken({ _queryable: false })).toBe(true);
    expect(isBroken({ _fatalError: new Error('gone') })).toBe(true);
    expect(isBroken({ _fatalError: null, _closing: false })).toBe(false);
  });
});
