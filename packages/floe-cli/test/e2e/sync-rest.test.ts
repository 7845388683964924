import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { sourceRows, type SourceRow } from '../fault/support/source-table.js';
import { writeVersionedTable } from '../fault/support/versioned-table.js';
import { floe, lakehouseRows, receipts, sorted, tempDir, writeProject } from './helpers.js';
import { startContactsApi, type ContactsApi } from './support/contacts-api.js';
import {
  EQUALITY_DELETES_VERSIONS as VERSIONS,
  fixtureTextRow,
  versionMetadata,
} from './support/equality-deletes-table.js';
import { SyncModel, type ExpectedChanges, type ModelMode, type TextRow } from './support/sync-model.js';

const MODES: readonly ModelMode[] = ['append', 'insert', 'update', 'upsert', 'mirror'];
/**
 * The keyed modes. Append re-sends the rows a rewrite changed (a multiset difference, as the model says), which an
 * API upserting by `id` merges instead of appending: it is covered by the fixture's history above.
 */
const KEYED: readonly ModelMode[] = ['insert', 'update', 'upsert', 'mirror'];

/** A generated row, or an API record of one, as comparable text. */
function sourceText(row: Record<string, unknown> | SourceRow): TextRow {
  const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
  return { id: text(row.id), name: text(row.name), amount: text(row.amount) };
}

/** The change counts one API saw in a run: every record's applications summed, and the records touched twice. */
function appliedChanges(api: ContactsApi): ExpectedChanges & { twice: string[] } {
  let inserts = 0;
  let updates = 0;
  let deletes = 0;
  const twice: string[] = [];
  for (const [key, applied] of api.applied) {
    inserts += applied.created;
    updates += applied.updated;
    deletes += applied.deleted;
    if (applied.created + applied.updated + applied.deleted > 1) twice.push(key);
  }
  return { inserts, updates, deletes, twice };
}

/**
 * Sync modes end to end to a REST API (issue 15): each version of a real multi-snapshot table is synced in turn,
 * in every mode, each mode into its own loopback contacts API (batch upsert by POST, update by PATCH and delete
 * by DELETE of the server's id). After each run the API holds exactly what the mode promises, the receipt counts
 * exactly the changes between the versions and the API applied each of them once — both computed from full reads
 * of the versions by a model that shares no code with the diff — and a rerun of the same version sends nothing.
 */
describe('floe egress run → REST API in every sync mode, version after version', () => {
  const apis = new Map<ModelMode, ContactsApi>();
  let project: { dir: string; cleanup: () => void };
  const versionRows = new Map<number, TextRow[]>();

  beforeAll(async () => {
    for (const mode of MODES) apis.set(mode, await startContactsApi());
    project = tempDir('floe-sync-rest-');
    for (const version of VERSIONS)
      versionRows.set(version, (await lakehouseRows(versionMetadata(version))).map(fixtureTextRow));
  });
  afterAll(async () => {
    for (const api of apis.values()) await api.close();
    project.cleanup();
  });

  const env = { FLOE_SECRET_CRM_API_TOKEN: 'tok-sync' };

  function destination(
    version: number | string,
    mode: ModelMode,
    sync: ModelMode,
    prefix = 'rest',
  ): Record<string, unknown> {
    return {
      name: `${prefix}-${mode}`,
      sink_type: 'rest_api',
      connection_secret_ref: 'crm-api',
      source_table: typeof version === 'string' ? version : versionMetadata(version),
      batch_size: 2,
      ...(sync !== 'append' && { primary_key: ['id'] }),
      sync: { mode: sync, ...(sync === 'mirror' && { max_delete_fraction: 1 }) },
      config: {
        base_url: apis.get(mode)?.url,
        upsert: { method: 'POST', path: '/contacts' },
        update: { method: 'PATCH', path: '/contacts/{id}' },
        delete: { method: 'DELETE', path: '/contacts/{id}' },
        record_id_path: 'id',
      },
    };
  }

  /** As for SQL: the fast path from v4 on, but the first update run after its seeding upsert diffs in full. */
  function expectedPath(mode: ModelMode, version: number): string {
    if (version <= 2) return mode === 'append' ? 'all-rows' : 'full-scan';
    return mode === 'update' && version === 4 ? 'full-scan' : 'incremental';
  }

  it('each run applies exactly the changes, once each, and a rerun of the version sends no request', async () => {
    const dir = join(project.dir, 'modes');
    const models = new Map(MODES.map((mode) => [mode, new SyncModel(mode, ['id'])]));
    let seeded = false;
    for (const version of VERSIONS) {
      const rows = versionRows.get(version) ?? [];
      // update only updates records that were synced: the first version with rows is synced by upsert first.
      const seeding = !seeded && rows.length > 0;
      const spec = writeProject(
        dir,
        MODES.map((mode) => destination(version, mode, mode === 'update' && seeding ? 'upsert' : mode)),
      );
      for (const api of apis.values()) api.resetCounts();
      const run = await floe(['egress', 'run', '--spec', spec, '--json'], { env });
      expect({ version, stderr: run.stderr, code: run.code }).toEqual({ version, stderr: '', code: 0 });
      const runId = run.events.find((event) => event.event === 'run.started')?.runId as string;
      const saved = receipts(join(dir, '.floe'));
      for (const mode of MODES) {
        const api = apis.get(mode) as ContactsApi;
        const model = models.get(mode) as SyncModel;
        const name = `rest-${mode}`;
        let expected: ExpectedChanges;
        if (mode === 'update' && seeding) {
          // The seeding upsert: every row created once.
          model.seed(rows);
          expected = { inserts: rows.length, updates: 0, deletes: 0 };
        } else {
          expected = model.step(rows);
          expect({ version, name, sync: saved[`${runId}/${name}`]?.sync }).toMatchObject({
            version,
            name,
            sync: { mode, ...expected, path: expectedPath(mode, version) },
          });
        }
        expect({ version, name, applied: appliedChanges(api) }).toEqual({
          version,
          name,
          applied: { ...expected, twice: [] },
        });
        expect({ version, name, replays: api.replays(), unkeyed: api.unkeyed(), conflicts: api.conflicts() }).toEqual({
          version,
          name,
          replays: 0,
          unkeyed: 0,
          conflicts: 0,
        });
        expect({ version, name, records: sorted(api.records().map(fixtureTextRow)) }).toEqual({
          version,
          name,
          records: sorted(model.rows()),
        });
      }

      // The same version again: nothing changed, so not one request goes out.
      for (const api of apis.values()) api.resetCounts();
      const again = await floe(['egress', 'run', '--spec', spec, '--json'], { env });
      expect({ version, stderr: again.stderr, code: again.code }).toEqual({ version, stderr: '', code: 0 });
      const againId = again.events.find((event) => event.event === 'run.started')?.runId as string;
      const resaved = receipts(join(dir, '.floe'));
      for (const mode of MODES) {
        const name = `rest-${mode}`;
        expect({ version, name, requests: apis.get(mode)?.requests() }).toEqual({ version, name, requests: 0 });
        expect({ version, name, sync: resaved[`${againId}/${name}`]?.sync }).toMatchObject({
          version,
          name,
          sync: { inserts: 0, updates: 0, deletes: 0 },
        });
        expect({
          version,
          name,
          records: sorted((apis.get(mode) as ContactsApi).records().map(fixtureTextRow)),
        }).toEqual({ version, name, records: sorted((models.get(mode) as SyncModel).rows()) });
      }
      if (rows.length > 0) seeded = true;
    }
  }, 300_000);
  it('updates go out once each (PATCH by the server id in update mode), across copy-on-write rewrites', async () => {
    // A generated history with real updates: 400 rows in 4 files; file 0 rewritten (every 5th row dropped, the
    // others' amount changed) with 50 rows added; then file 2 rewritten (every 3rd row renamed, every 7th dropped).
    const dir = join(project.dir, 'rewrites');
    const gold = join(project.dir, 'rewrites-gold');
    const table = await writeVersionedTable(gold, sourceRows(400));
    const steps: (() => Promise<void>)[] = [
      async () => undefined,
      () =>
        table.rewrite(
          0,
          (rows) => rows.filter((row) => row.id % 5 !== 0).map((row) => ({ ...row, amount: row.amount + 1 })),
          sourceRows(450).slice(400),
        ),
      () =>
        table.rewrite(2, (rows) =>
          rows
            .filter((row) => row.id % 7 !== 0)
            .map((row) => (row.id % 3 === 0 ? { ...row, name: `renamed-${row.id}` } : row)),
        ),
    ];
    const fresh = new Map<ModelMode, ContactsApi>();
    for (const mode of KEYED) fresh.set(mode, await startContactsApi());
    try {
      const models = new Map(KEYED.map((mode) => [mode, new SyncModel(mode, ['id'])]));
      for (const [step, write] of steps.entries()) {
        await write();
        const rows = table.rows().map(sourceText);
        const seeding = step === 0;
        const spec = writeProject(
          dir,
          KEYED.map((mode) => ({
            ...destination(gold, mode, mode === 'update' && seeding ? 'upsert' : mode, 'gen'),
            batch_size: 64,
            config: { ...(destination(gold, mode, mode).config as object), base_url: fresh.get(mode)?.url },
          })),
        );
        for (const api of fresh.values()) api.resetCounts();
        const seenBefore = new Map(KEYED.map((mode) => [mode, fresh.get(mode)?.target.requests.length ?? 0]));
        const run = await floe(['egress', 'run', '--spec', spec, '--json'], { env });
        expect({ step, stderr: run.stderr, code: run.code }).toEqual({ step, stderr: '', code: 0 });
        const runId = run.events.find((event) => event.event === 'run.started')?.runId as string;
        const saved = receipts(join(dir, '.floe'));
        for (const mode of KEYED) {
          const api = fresh.get(mode) as ContactsApi;
          const model = models.get(mode) as SyncModel;
          const name = `gen-${mode}`;
          let expected: ExpectedChanges;
          if (mode === 'update' && seeding) {
            model.seed(rows);
            expected = { inserts: rows.length, updates: 0, deletes: 0 };
          } else {
            expected = model.step(rows);
            expect({ step, name, sync: saved[`${runId}/${name}`]?.sync }).toMatchObject({
              step,
              name,
              sync: { mode, ...expected },
            });
          }
          if (step === 1)
            expect({ name, updates: expected.updates }).toEqual({ name, updates: mode === 'insert' ? 0 : 80 });
          expect({ step, name, applied: appliedChanges(api) }).toEqual({
            step,
            name,
            applied: { ...expected, twice: [] },
          });
          // update mode sends its updates by PATCH /contacts/{server id}: one request per changed record.
          if (mode === 'update' && !seeding) {
            const patches = api.target.requests
              .slice(seenBefore.get(mode))
              .filter((request) => request.method === 'PATCH');
            expect({ step, patches: patches.length }).toEqual({ step, patches: expected.updates });
            for (const request of patches) {
              const body = request.body as Record<string, unknown>;
              expect(request.url).toBe(`/contacts/${api.serverId(String(body.id))}`);
            }
          }
          expect({ step, name, conflicts: api.conflicts(), unkeyed: api.unkeyed(), replays: api.replays() }).toEqual({
            step,
            name,
            conflicts: 0,
            unkeyed: 0,
            replays: 0,
          });
          expect({ step, name, records: sorted(api.records().map(sourceText)) }).toEqual({
            step,
            name,
            records: sorted(model.rows()),
          });
        }
      }
    } finally {
      for (const api of fresh.values()) await api.close();
    }
  }, 300_000);
});
