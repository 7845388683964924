import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Float64, Int64, Utf8, makeTable, vectorFromArray } from 'apache-arrow';
import { IcebergTableWriter } from '@floe/lakehouse/testing';
import { sourceRows, type SourceRow } from '../fault/support/source-table.js';
import { floe, tempDir, writeProject, type FloeRun } from './helpers.js';
import { startContactsApi, type ContactsApi } from './support/contacts-api.js';

/** The slice of better-sqlite3 this test uses (the package ships no types here). */
interface SqliteDatabase {
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string,
  options: { readonly: boolean },
) => SqliteDatabase;

const FIELDS = [
  { id: 1, name: 'id', required: false, type: 'long' },
  { id: 2, name: 'name', required: false, type: 'string' },
  { id: 3, name: 'amount', required: false, type: 'double' },
] as const;
const ROWS = 100;

function file(rows: readonly SourceRow[]) {
  const table = makeTable({
    id: vectorFromArray(
      rows.map((row) => BigInt(row.id)),
      new Int64(),
    ).data[0] as never,
    name: vectorFromArray(
      rows.map((row) => row.name),
      new Utf8(),
    ).data[0] as never,
    amount: vectorFromArray(
      rows.map((row) => row.amount),
      new Float64(),
    ).data[0] as never,
  });
  return { batches: table.batches };
}

/** The newest `vN.metadata.json` of a table: a source_table that reads it as of now, whatever is committed later. */
function latestMetadata(location: string): string {
  const versions = readdirSync(join(location, 'metadata'))
    .map((name) => /^v(\d+)\.metadata\.json$/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  return join(location, 'metadata', `v${Math.max(...versions)}.metadata.json`);
}

/**
 * The versions of a table the upstream job writes: 100 rows in 4 files; then files 0 and 1 rewritten without 15
 * rows each (30 % of the keys gone); then every file removed (an empty snapshot) — each version's metadata file.
 */
async function writeHistory(location: string): Promise<{ full: string; partial: string; empty: string }> {
  const writer = await IcebergTableWriter.create({ location, fields: FIELDS.map((field) => ({ ...field })) });
  const rows = sourceRows(ROWS);
  const parts = [0, 1, 2, 3].map((f) => rows.slice(f * 25, (f + 1) * 25));
  const first = await writer.commit({ dataFiles: parts.map(file) });
  const full = latestMetadata(location);
  const kept = parts.slice(0, 2).map((part) => part.slice(0, 10));
  const second = await writer.commit({
    removeDataFiles: first.dataFiles.slice(0, 2),
    dataFiles: kept.map(file),
    operation: 'overwrite',
  });
  const partial = latestMetadata(location);
  await writer.commit({ removeDataFiles: [...second.dataFiles, ...first.dataFiles.slice(2)], operation: 'delete' });
  return { full, partial, empty: latestMetadata(location) };
}

/**
 * The mirror guard end to end (issue 15): after a synced version, a source that would delete more than
 * `sync.max_delete_fraction` (default 0.2) of the synced records — an empty snapshot, a new empty table, a version
 * missing 30 % of the keys — is refused with exit 3 and a message naming the counts and `--allow-mass-delete`,
 * before anything is sent to the REST API or written to SQLite; `egress plan` shows the deletes; with
 * `--allow-mass-delete` they happen.
 */
describe('floe egress run of a mirror whose source lost many keys', () => {
  let api: ContactsApi;
  let project: { dir: string; cleanup: () => void };
  let versions: { full: string; partial: string; empty: string };
  const sqliteFile = (): string => join(project.dir, 'mirror.db');
  const env = (): Record<string, string> => ({
    FLOE_SECRET_CRM_API_TOKEN: 'tok-guard',
    FLOE_SECRET_SQLITE_URL: `sqlite:${sqliteFile()}`,
  });

  beforeAll(async () => {
    api = await startContactsApi();
    project = tempDir('floe-mirror-guard-');
    versions = await writeHistory(join(project.dir, 'gold'));
    await IcebergTableWriter.create({ location: join(project.dir, 'nothing'), fields: FIELDS.map((f) => ({ ...f })) });
  });
  afterAll(async () => {
    await api.close();
    project.cleanup();
  });

  function spec(source: string): string {
    return writeProject(project.dir, [
      {
        name: 'crm',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm-api',
        source_table: source,
        primary_key: ['id'],
        sync: { mode: 'mirror' },
        config: {
          base_url: api.url,
          upsert: { method: 'POST', path: '/contacts' },
          delete: { method: 'DELETE', path: '/contacts/{id}' },
          record_id_path: 'id',
        },
      },
      {
        name: 'replica',
        sink_type: 'sql_database',
        connection_secret_ref: 'sqlite',
        source_table: source,
        primary_key: ['id'],
        sync: { mode: 'mirror' },
        config: { table: 'contacts' },
      },
    ]);
  }

  const run = (source: string, ...flags: string[]): Promise<FloeRun> =>
    floe(['egress', 'run', '--spec', spec(source), '--json', ...flags], { env: env(), cwd: project.dir });

  const apiIds = (): number[] =>
    api
      .records()
      .map((record) => Number(record.id))
      .sort((a, b) => a - b);
  function sqliteIds(): number[] {
    const db = new Database(sqliteFile(), { readonly: true });
    try {
      return (db.prepare('SELECT id FROM contacts ORDER BY id').all() as { id: number | bigint }[]).map((row) =>
        Number(row.id),
      );
    } finally {
      db.close();
    }
  }
  const ids = (rows: readonly SourceRow[]): number[] => rows.map((row) => row.id);
  const all = ids(sourceRows(ROWS));
  const partialIds = all.filter((id) => id <= 10 || (id >= 26 && id <= 35) || id > 50);

  /** A refused run: exit 3, both destinations' messages naming the counts and the override, nothing sent. */
  function expectRefused(refused: FloeRun, counts: RegExp): void {
    expect({ code: refused.code, stderr: refused.stderr }).toMatchObject({ code: 3 });
    for (const name of ['crm', 'replica']) {
      const message = refused.stderr.split('\n').find((line) => line.includes(`destination ${name}:`)) ?? '';
      expect({ name, message }).toEqual({ name, message: expect.stringMatching(counts) });
      expect({ name, message }).toEqual({ name, message: expect.stringContaining('--allow-mass-delete') });
    }
    expect(api.requests()).toBe(0);
    expect(apiIds()).toEqual(all);
    expect(sqliteIds()).toEqual(all);
  }

  it('refuses mass deletes (exit 3, nothing sent), shows them in the plan, and makes them with --allow-mass-delete', async () => {
    const first = await run(versions.full);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(apiIds()).toEqual(all);
    expect(sqliteIds()).toEqual(all);

    // An empty snapshot of the same table, and a new table without a snapshot: each would delete all 100.
    for (const empty of [versions.empty, latestMetadata(join(project.dir, 'nothing'))]) {
      api.resetCounts();
      expectRefused(await run(empty), /\b100\b.*\b100\b/);
    }

    // 30 of 100 keys gone: 30 % > the default 20 %.
    api.resetCounts();
    const partial = await run(versions.partial);
    expectRefused(partial, /delete 30 of 100 synced records \(30\.0 %\)/);
    expect(partial.stderr).toContain('max_delete_fraction 0.2');

    // The plan shows the deletes the run would make and that the guard refuses it (exit 3, as the run), and sends
    // nothing; planned with --allow-mass-delete, the same deletes and no refusal. The fast path reads only the two
    // rewritten files: 20 rows read unchanged (the files not read are not counted).
    for (const flags of [[], ['--allow-mass-delete']]) {
      const plan = await floe(['egress', 'plan', '--spec', spec(versions.partial), '--json', ...flags], {
        env: env(),
        cwd: project.dir,
      });
      expect({ flags, code: plan.code, stderr: plan.stderr }).toEqual({
        flags,
        code: flags.length === 0 ? 3 : 0,
        stderr: '',
      });
      const planned = (plan.events[0] as { destinations: { name: string; sync: Record<string, unknown> }[] })
        .destinations;
      for (const name of ['crm', 'replica']) {
        const sync = planned.find((d) => d.name === name)?.sync;
        expect({ flags, name, sync }).toMatchObject({
          flags,
          name,
          sync: {
            mode: 'mirror',
            changes: { path: 'incremental', inserts: 0, updates: 0, deletes: 30, unchanged: 20 },
          },
        });
        expect({ flags, name, refusal: sync?.refusal }).toEqual({
          flags,
          name,
          refusal:
            flags.length === 0
              ? expect.stringMatching(/delete 30 of 100 synced records.*--allow-mass-delete/)
              : undefined,
        });
      }
    }
    const text = await floe(['egress', 'plan', '--spec', spec(versions.partial)], { env: env(), cwd: project.dir });
    expect(text.code).toBe(3);
    expect(text.stdout).toContain(
      'refused run: destination crm: mirror would delete 30 of 100 synced records (30.0 %), more than sync.max_delete_fraction 0.2',
    );
    expect(api.requests()).toBe(0);
    expect(sqliteIds()).toEqual(all);

    // Allowed: the 30 records are deleted, each once; the 70 others untouched.
    const allowed = await run(versions.partial, '--allow-mass-delete');
    expect({ code: allowed.code, stderr: allowed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(partialIds).toHaveLength(70);
    expect(apiIds()).toEqual(partialIds);
    expect(sqliteIds()).toEqual(partialIds);
    const deleted = all.filter((id) => !partialIds.includes(id));
    expect([...api.applied].sort(([a], [b]) => Number(a) - Number(b))).toEqual(
      deleted.map((id) => [String(id), { created: 0, updated: 0, deleted: 1 }]),
    );
    for (const name of ['crm', 'replica']) {
      const receipt = allowed.events.find((event) => event.event === 'receipt' && event.destination === name);
      expect({ name, sync: receipt?.sync }).toMatchObject({ name, sync: { deletes: 30, inserts: 0, updates: 0 } });
    }

    // And an empty source, allowed: every record goes.
    const emptied = await run(versions.empty, '--allow-mass-delete');
    expect({ code: emptied.code, stderr: emptied.stderr }).toEqual({ code: 0, stderr: '' });
    expect(apiIds()).toEqual([]);
    expect(sqliteIds()).toEqual([]);
  }, 180_000);
});
