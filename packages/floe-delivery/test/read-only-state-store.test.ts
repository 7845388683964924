import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgSchema, type PgTestSchema } from '@floe/test-harness';
import { openStateStore, parseStateStoreLocation } from '../src/index.js';

describe('openStateStore (readOnly)', () => {
  let pg: PgTestSchema;
  beforeAll(async () => {
    pg = await createPgSchema('floe_ro');
  });
  afterAll(async () => {
    await pg.drop();
  });

  it('lists no runs and creates no table when a PostgreSQL store has no tables yet', async () => {
    const store = openStateStore(`${pg.url}?schema=${pg.schema}`, { readOnly: true });
    await expect(store.listRuns()).resolves.toEqual([]);
    await store.close();
    const tables = await pg.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${pg.schema}'`,
    );
    expect(tables).toEqual([]);
  });

  it('lists the runs of a SQLite store without writing to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'floe-ro-'));
    try {
      const file = join(dir, 'sub', 'state.db');
      const missing = openStateStore(`sqlite:${file}`, { readOnly: true });
      await expect(missing.listRuns()).rejects.toThrow();
      await missing.close();
      expect(existsSync(join(dir, 'sub'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseStateStoreLocation', () => {
  it.each(['mongodb://x', 'mysql://root@db/floe', 'https://ops/state', 's3://bucket/state.db'])(
    'refuses %s: an unknown scheme is a configuration error, not a folder',
    (location) => {
      expect(() => parseStateStoreLocation(location, '/srv')).toThrow(/unknown scheme/);
      try {
        parseStateStoreLocation(location, '/srv');
      } catch (error) {
        expect(error).toMatchObject({ code: 'STATE_STORE_LOCATION', category: 'CONFIGURATION' });
      }
    },
  );

  it('still takes plain file paths and sqlite: locations', () => {
    expect(parseStateStoreLocation('state.db', '/srv')).toMatchObject({ kind: 'sqlite', file: '/srv/state.db' });
    expect(parseStateStoreLocation('sqlite3:x.db', '/srv')).toMatchObject({ kind: 'sqlite', file: '/srv/x.db' });
  });
});
