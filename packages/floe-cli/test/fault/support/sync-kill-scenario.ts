import { expect } from '@jest/globals';
import { join } from 'node:path';
import { writeProject } from '../../e2e/helpers.js';
import { killAt, killTargets, runCli, startCli, type KillPoint } from './cli-process.js';
import { faultSeed, mulberry32, withSeed } from './prng.js';
import { sourceRows, type SourceRow } from './source-table.js';
import { writeVersionedTable } from './versioned-table.js';

/** A SQL destination a sync kill scenario runs against. */
export interface SyncKillTarget {
  /** The destination's name (also names its folder under the scenario's). */
  readonly name: string;
  readonly mode: 'upsert' | 'mirror';
  /** `connection_secret_ref` and the environment giving it. */
  readonly secretRef: string;
  readonly env: Record<string, string>;
  /** `config.table`. */
  readonly table: string;
  /** The destination table's rows, by id order (0 rows when it does not exist yet). */
  rows(): Promise<SourceRow[]>;
  /** Batches the destination's ledger shows committed for destination `name` (0 before the ledger exists). */
  committed(name: string): Promise<number>;
}

/** The sizes of a scenario. */
export interface SyncKillOptions {
  readonly rows: number;
  readonly batchSize: number;
  readonly kills: number;
}

/**
 * SIGKILLs a sync run at `kills` random moments (seeded: FLOE_FAULT_SEED replays them) of a run carrying a
 * copy-on-write update of the table's first file (every 5th row of it deleted, the others' amount changed) and
 * an append of a quarter as many rows again, then runs it to its end: the destination equals what the mode
 * promises (mirror: the new version exactly; upsert: plus the deleted records' last values), the ledger shows
 * every change batch committed once, the receipt counts the true changes, and a further run sends nothing.
 */
export async function syncKillScenario(dir: string, target: SyncKillTarget, options: SyncKillOptions): Promise<void> {
  const { rows: count, batchSize, kills } = options;
  const seed = faultSeed();
  const random = mulberry32(seed);
  await withSeed(seed, async () => {
    const gold = join(dir, 'gold');
    const table = await writeVersionedTable(gold, sourceRows(count));
    const spec = writeProject(dir, [
      {
        name: target.name,
        sink_type: 'sql_database',
        connection_secret_ref: target.secretRef,
        source_table: gold,
        batch_size: batchSize,
        primary_key: ['id'],
        sync: { mode: target.mode },
        config: { table: target.table },
      },
    ]);
    const args = ['egress', 'run', '--spec', spec, '--json'];

    const first = await runCli(args, target.env, dir);
    expect({ code: first.code, stderr: first.stderr() }).toEqual({ code: 0, stderr: '' });
    const before = table.rows();
    expect(await target.rows()).toEqual(before);
    const firstBatches = await target.committed(target.name);
    expect(firstBatches).toBe(Math.ceil(count / batchSize));

    // Version 2: file 0 rewritten (every 5th row dropped, the others' amount changed), rows added.
    const fileRows = Math.ceil(count / 4);
    const addedCount = Math.floor(count / 4);
    const added = sourceRows(count + addedCount).slice(count);
    await table.rewrite(
      0,
      (rows) => rows.filter((row) => row.id % 5 !== 0).map((row) => ({ ...row, amount: row.amount + 1 })),
      added,
    );
    const deletes = Math.floor(fileRows / 5);
    const updates = fileRows - deletes;
    const changes = addedCount + updates + (target.mode === 'mirror' ? deletes : 0);
    const batches = Math.ceil(changes / batchSize);
    const committed = async (): Promise<number> => (await target.committed(target.name)) - firstBatches;

    const points: KillPoint[] = [];
    for (const at of killTargets(random, kills, batches - 8)) {
      points.push(
        await killAt(startCli(args, target.env, dir), {
          committed,
          target: at,
          jitterMs: Math.floor(random() * 40),
        }),
      );
    }
    console.log(
      `${target.name}: seed ${seed}, kills at committed change batches ${points.map((p) => `${p.committedAtKill}+${p.jitterMs}ms`).join(', ')}`,
    );
    expect(points.filter((point) => point.midRun).length).toBeGreaterThanOrEqual(kills - 3);

    const final = await runCli(args, target.env, dir);
    expect({ code: final.code, stderr: final.stderr() }).toEqual({ code: 0, stderr: '' });
    const receipt = final.events.find((event) => event.event === 'receipt') as {
      sync: Record<string, unknown>;
      delivery: Record<string, unknown>;
    };
    expect(receipt.sync).toMatchObject({
      mode: target.mode,
      inserts: addedCount,
      updates,
      deletes: target.mode === 'mirror' ? deletes : 0,
    });
    expect(receipt.delivery).toMatchObject({ batchesCommitted: batches, batchesTotal: batches, status: 'completed' });
    const now = table.rows();
    const kept = new Set(now.map((row) => row.id));
    const expected =
      target.mode === 'mirror'
        ? now
        : [...now, ...before.filter((row) => !kept.has(row.id))].sort((a, b) => a.id - b.id);
    expect(await target.rows()).toEqual(expected);
    expect(await committed()).toBe(batches);

    const again = await runCli(args, target.env, dir);
    expect(again.code).toBe(0);
    const quiet = again.events.find((event) => event.event === 'receipt') as { sync: Record<string, unknown> };
    expect(quiet.sync).toMatchObject({ path: 'incremental', inserts: 0, updates: 0, deletes: 0 });
    expect(await target.rows()).toEqual(expected);
    expect(await committed()).toBe(batches);
  });
}
