import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { createPgSchema, type PgTestSchema } from '@floe/test-harness';
import { tempDir } from '../e2e/helpers.js';
import type { SourceRow } from './support/source-table.js';
import { syncKillScenario } from './support/sync-kill-scenario.js';

const ROWS = 20_000;
const BATCH_SIZE = 200;
const KILLS = 15;

/**
 * SIGKILL a mirror sync to PostgreSQL at random moments of a run that carries a copy-on-write update (4,000 rows
 * changed, 1,000 deleted, 5,000 added): after the rerun the table equals the new version exactly, the ledger
 * shows every change batch committed once, and a further run finds nothing to send — the sync state was written
 * in each batch's own transaction, so no kill separated the rows from their state. (MariaDB and SQLite:
 * sync-kill-sql.test.ts.)
 */
describe('floe egress run, mirror sync → PostgreSQL, killed with SIGKILL during the diff run', () => {
  let pg: PgTestSchema;
  let project: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    pg = await createPgSchema('floe_sync_kill');
    project = tempDir('floe-fault-sync-');
  });
  afterAll(async () => {
    await pg.drop();
    project.cleanup();
  });

  it(`applies every change exactly once after ${KILLS} kills and a rerun`, async () => {
    await syncKillScenario(
      project.dir,
      {
        name: 'pg-mirror',
        mode: 'mirror',
        secretRef: 'dw',
        env: { FLOE_SECRET_DW_URL: pg.url },
        table: `${pg.schema}.items`,
        rows: () => pg.query<SourceRow>(`SELECT id::int AS id, name, amount FROM "${pg.schema}".items ORDER BY id`),
        async committed(name) {
          try {
            const rows = await pg.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM "${pg.schema}"._floe_ledger l JOIN "${pg.schema}"._floe_runs r USING (run_id)
                WHERE l.state = 'committed' AND r.destination = $1`,
              [name],
            );
            return rows[0]?.n ?? 0;
          } catch {
            return 0; // the ledger tables do not exist yet
          }
        },
      },
      { rows: ROWS, batchSize: BATCH_SIZE, kills: KILLS },
    );
  }, 240_000);
});
