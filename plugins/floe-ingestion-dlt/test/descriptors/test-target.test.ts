import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMysqlDatabase, startHttpTarget, type MysqlTestDatabase } from '@floe/test-harness';
import { restApiSink, sqlDatabaseSink } from '../../src/index.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => {
  exec(sql: string): void;
  close(): void;
};

const testSql = (config: Record<string, unknown>, url: string, columns?: string[]) =>
  sqlDatabaseSink.testTarget?.(config, { url }, columns === undefined ? {} : { columns });

describe('sql_database testTarget (read-only)', () => {
  let dir: string;
  let my: MysqlTestDatabase;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'floe-test-target-'));
    my = await createMysqlDatabase('floe_tt');
    await my.query('CREATE TABLE contacts (ID int, Email varchar(100))');
  });
  afterAll(async () => {
    await my.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SQLite: a missing file is not created (the table will be, with create_table), an existing table is described', async () => {
    const file = join(dir, 'absent.db');
    expect(await testSql({ table: 't' }, `sqlite:${file}`)).toEqual([
      expect.objectContaining({ check: 'connect', ok: true }),
      expect.objectContaining({ check: 'table', ok: true }),
    ]);
    expect(await testSql({ table: 't', create_table: false }, `sqlite:${file}`)).toContainEqual(
      expect.objectContaining({ check: 'table', ok: false, category: 'CONFIGURATION' }),
    );
    expect(existsSync(file)).toBe(false);

    const present = join(dir, 'present.db');
    const db = new Database(present);
    db.exec('CREATE TABLE t (a int, b text)');
    db.close();
    const checks = await testSql({ table: 't', create_table: false }, `sqlite:${present}`, ['a', 'b', 'c']);
    expect(checks?.map((check) => [check.check, check.ok])).toEqual([
      ['connect', true],
      ['table', true],
      ['columns', false],
    ]);
    expect(checks?.[2]?.message).toContain('has no column c');
  });

  it('MariaDB: column names compare without case; a missing column with create_table: true will be added', async () => {
    const ok = await testSql({ table: 'contacts', create_table: false }, my.url, ['id', 'email']);
    expect(ok?.every((check) => check.ok)).toBe(true);
    const adds = await testSql({ table: 'contacts' }, my.url, ['id', 'email', 'phone']);
    expect(adds).toContainEqual(expect.objectContaining({ check: 'columns', ok: true }));
    expect(adds?.find((check) => check.check === 'columns')?.message).toContain('the first run adds them');
    const tables = await my.query<{ name: string }>(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
      [my.database],
    );
    expect(tables.map((row) => row.name)).toEqual(['contacts']); // no ledger, no staging table
  });

  it('an unreachable server is a failed connect check that is not a configuration problem, without the password', async () => {
    const checks = await testSql({ table: 't' }, 'mysql://root:pw-Secret-8812@127.0.0.1:1/test');
    expect(checks).toHaveLength(1);
    expect(checks?.[0]).toMatchObject({ check: 'connect', ok: false });
    expect(checks?.[0]?.category).not.toBe('CONFIGURATION');
    expect(checks?.[0]?.message).not.toContain('pw-Secret-8812');
  });
});

describe('rest_api testTarget (read-only)', () => {
  it('403 fails auth (configuration), 503 fails reach (transient), 404 to every probe is a wrong URL; never a body', async () => {
    const target = await startHttpTarget(() => ({ status: 403, body: {} }));
    try {
      const config = { url: `${target.url}/contacts` };
      const refused = await restApiSink.testTarget?.(config, { token: 'tok-abcdefgh-1' }, {});
      expect(refused?.find((check) => check.check === 'auth')).toMatchObject({ ok: false, category: 'CONFIGURATION' });
      target.handle(() => ({ status: 503, body: {} }));
      const down = await restApiSink.testTarget?.(config, { token: 'tok-abcdefgh-1' }, {});
      expect(down).toEqual([expect.objectContaining({ check: 'reach', ok: false, category: 'TRANSIENT' })]);
      target.handle(() => ({ status: 404, body: {} }));
      const missing = await restApiSink.testTarget?.(config, { api_key: 'key-abcdefgh-2' }, {});
      expect(missing).toEqual([expect.objectContaining({ check: 'reach', ok: false, category: 'CONFIGURATION' })]);
      expect(target.requests.map((request) => request.method)).toEqual(['HEAD', 'HEAD', 'HEAD', 'OPTIONS', 'GET']);
      expect(target.requests.every((request) => request.rawBody.length === 0)).toBe(true);
      expect(target.requests[4]?.headers['x-api-key']).toBe('key-abcdefgh-2');
    } finally {
      await target.close();
    }
  });
});
