import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { asText, floe, lakehouseRows, QUICKSTART, receipts, sorted, tempDir } from './helpers.js';

/** The slice of better-sqlite3 this test uses (the package ships no types here). */
interface SqliteDatabase {
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string,
  options: { readonly: boolean },
) => SqliteDatabase;

describe('the quickstart', () => {
  let copy: { dir: string; cleanup: () => void };
  let project: string;

  beforeAll(() => {
    copy = tempDir('floe-quickstart-');
    project = join(copy.dir, 'quickstart');
    cpSync(QUICKSTART, project, { recursive: true, filter: (source) => !/[/\\](out|\.floe)$/.test(source) });
  });
  afterAll(() => copy.cleanup());

  it('pushes lineitem into SQLite from any working directory, twice, without duplicating rows', async () => {
    const args = ['egress', 'run', '--spec', join(project, 'floe.yaml'), '--preview', '5'];
    const env = { FLOE_SECRETS_DIR: join(project, 'secrets') };
    const first = await floe(args, { env, cwd: tmpdir() });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const second = await floe(args, { env, cwd: tmpdir() });
    expect(second.code).toBe(0);

    const receipt = second.events.find((event) => event.event === 'receipt');
    expect(receipt).toMatchObject({
      destination: 'lineitem-sqlite',
      status: 'delivered',
      receipt: { rowsDelivered: 51_793, rowsRejected: 0 },
    });
    const preview = second.events.find((event) => event.event === 'preview');
    expect(preview).toMatchObject({ ok: true });
    expect(preview?.rows).toHaveLength(5);
    expect((preview?.columns as string[]).slice(0, 4)).toEqual(['order_key', 'l_partkey', 'l_suppkey', 'line_number']);

    expect(Object.keys(receipts(join(project, '.floe')))).toHaveLength(2);
    const db = new Database(join(project, 'out', 'quickstart.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT * FROM lineitem').all() as Record<string, unknown>[];
      expect(rows).toHaveLength(51_793);
      const mapping = { l_orderkey: 'order_key', l_linenumber: 'line_number' };
      const expected = (await lakehouseRows(join(project, 'data', 'lineitem_iceberg'))).map((row) =>
        JSON.stringify(asText(row, mapping)),
      );
      expect(sorted(rows.map((row) => JSON.stringify(asText(row))))).toEqual(sorted(expected));
    } finally {
      db.close();
    }
  });

  it('plans without writing anything', async () => {
    const fresh = join(copy.dir, 'fresh');
    cpSync(QUICKSTART, fresh, { recursive: true, filter: (source) => !/[/\\](out|\.floe)$/.test(source) });
    const run = await floe(['egress', 'plan', '--spec', join(fresh, 'floe.yaml')], {
      env: { FLOE_SECRETS_DIR: join(fresh, 'secrets') },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('rows:        51,793 in 11 batches (up to 5,000 rows each)');
    expect(existsSync(join(fresh, 'out'))).toBe(false);
    expect(existsSync(join(fresh, '.floe'))).toBe(false);
  });

  it('saves receipts under --state-dir when given', async () => {
    const state = join(copy.dir, 'state');
    const run = await floe(['egress', 'run', '--spec', join(project, 'floe.yaml'), '--state-dir', state], {
      env: { FLOE_SECRET_QUICKSTART_DB_URL: 'sqlite:out/via-env.db' },
    });
    expect(run.code).toBe(0);
    expect(Object.values(receipts(state))[0]).toMatchObject({
      status: 'delivered',
      target: `sqlite ${join(project, 'out', 'via-env.db')} table lineitem`,
    });
  });
});
