import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createMysqlDatabase, type MysqlTestDatabase } from '@floe/test-harness';
import { tempDir } from '../e2e/helpers.js';
import { Database } from '../e2e/support/sync-destinations.js';
import type { SourceRow } from './support/source-table.js';
import { syncKillScenario, type SyncKillTarget } from './support/sync-kill-scenario.js';

const ROWS = 20_000;
const BATCH_SIZE = 200;
const KILLS = 15;
const MODES = ['upsert', 'mirror'] as const;

const LEDGER_COUNT = `SELECT count(*) AS n FROM _floe_ledger l JOIN _floe_runs r USING (run_id)
  WHERE l.state = 'committed' AND r.destination = ?`;

/** A row as read back, numbers as numbers (MariaDB hands BIGINT over as text). */
const sourceRow = (row: Record<string, unknown>): SourceRow => ({
  id: Number(row.id),
  name: row.name === null ? null : String(row.name),
  amount: Number(row.amount),
});

/**
 * The SIGKILL test of sync-kill.test.ts for MariaDB and SQLite, in upsert and mirror mode: ≥ 15 kills during a
 * diff run carrying a copy-on-write update and an append, then a final run — the destination holds what the mode
 * promises, each change batch was committed once, and a further run sends nothing.
 */
describe('floe egress run, sync → MariaDB and SQLite, killed with SIGKILL during the diff run', () => {
  let my: MysqlTestDatabase;
  let project: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    my = await createMysqlDatabase('floe_sync_kill');
    project = tempDir('floe-fault-sync-sql-');
  });
  afterAll(async () => {
    await my.drop();
    project.cleanup();
  });

  const mariadb = (mode: (typeof MODES)[number]): SyncKillTarget => ({
    name: `mariadb-${mode}`,
    mode,
    secretRef: 'dw',
    env: { FLOE_SECRET_DW_URL: my.url },
    table: `items_${mode}`,
    rows: async () =>
      (await my.query<Record<string, unknown>>(`SELECT id, name, amount FROM items_${mode} ORDER BY id`)).map(
        sourceRow,
      ),
    async committed(name) {
      try {
        const rows = await my.query<{ n: number | string }>(LEDGER_COUNT, [name]);
        return Number(rows[0]?.n ?? 0);
      } catch {
        return 0; // the ledger tables do not exist yet
      }
    },
  });

  const sqlite = (mode: (typeof MODES)[number]): SyncKillTarget => {
    const file = join(project.dir, `sqlite-${mode}`, 'sync.db');
    // Opened read-write: a connection can roll back the journal a killed run left (a read-only one cannot).
    const read = <T>(sql: string, params: unknown[] = []): T[] => {
      const db = new Database(file);
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    };
    return {
      name: `sqlite-${mode}`,
      mode,
      secretRef: 'lite',
      env: { FLOE_SECRET_LITE_URL: `sqlite:${file}` },
      table: 'items',
      rows: async () => read<Record<string, unknown>>('SELECT id, name, amount FROM items ORDER BY id').map(sourceRow),
      async committed(name) {
        if (!existsSync(file)) return 0;
        try {
          return Number(read<{ n: number }>(LEDGER_COUNT, [name])[0]?.n ?? 0);
        } catch {
          return 0; // the ledger tables do not exist yet
        }
      },
    };
  };

  for (const target of [mariadb, sqlite]) {
    for (const mode of MODES) {
      const name = target === mariadb ? `mariadb-${mode}` : `sqlite-${mode}`;
      it(`${name}: applies every change exactly once after ${KILLS} kills and a rerun`, async () => {
        await syncKillScenario(join(project.dir, name), target(mode), {
          rows: ROWS,
          batchSize: BATCH_SIZE,
          kills: KILLS,
        });
      }, 300_000);
    }
  }
});
