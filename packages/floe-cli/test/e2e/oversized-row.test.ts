import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Int64, Utf8, makeTable, vectorFromArray } from 'apache-arrow';
import { IcebergTableWriter } from '@floe/lakehouse/testing';
import { createMysqlDatabase, type MysqlTestDatabase } from '@floe/test-harness';
import { floe, jsonLines, receipts, tempDir, writeProject } from './helpers.js';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * One row larger than MariaDB accepts in a statement (issue 13 §4). The server's `max_allowed_packet` is read,
 * not assumed: the source holds a row just above it (rejected as that row, PERMANENT, the reason naming the
 * limit), a row just below it that follows ~900 KB of other rows in the same batch (lands: statements are sized
 * in bytes, so it is not packed with them into a statement above the limit), and small rows (land).
 */
describe('floe egress run → MariaDB with a row above max_allowed_packet', () => {
  let my: MysqlTestDatabase;
  let project: { dir: string; cleanup: () => void };
  let packet: number;
  let source: { id: number; name: string }[];

  beforeAll(async () => {
    my = await createMysqlDatabase('floe_big');
    project = tempDir('floe-big-');
    const [row] = await my.query<{ packet: string | number }>('SELECT @@max_allowed_packet AS packet');
    packet = Number(row?.packet);
    source = Array.from({ length: 24 }, (_, i) => {
      const id = i + 1;
      const size = id === 17 ? packet + 1024 : id === 14 ? packet - 512 * 1024 : id >= 5 && id <= 13 ? 100_000 : 10;
      return { id, name: `${id}:`.padEnd(size, String.fromCharCode(97 + (id % 26))) };
    });
    const writer = await IcebergTableWriter.create({
      location: join(project.dir, 'gold'),
      fields: [
        { id: 1, name: 'id', required: false, type: 'long' },
        { id: 2, name: 'name', required: false, type: 'string' },
      ],
    });
    const table = makeTable({
      id: vectorFromArray(
        source.map((r) => BigInt(r.id)),
        new Int64(),
      ).data[0] as never,
      name: vectorFromArray(
        source.map((r) => r.name),
        new Utf8(),
      ).data[0] as never,
    });
    await writer.commit({ dataFiles: [{ batches: table.batches }] });
  }, 60_000);
  afterAll(async () => {
    await my.drop();
    project.cleanup();
  });

  for (const disposition of ['append', 'merge'] as const) {
    it(`rejects only that row, with the limit in the reason, and delivers the others (${disposition})`, async () => {
      const dir = join(project.dir, disposition);
      const table = `big_${disposition}`;
      const spec = writeProject(dir, [
        {
          name: `big-${disposition}`,
          sink_type: 'sql_database',
          connection_secret_ref: 'dw',
          source_table: join(project.dir, 'gold'),
          batch_size: 24,
          config: {
            table,
            write_disposition: disposition,
            ...(disposition === 'merge' && { primary_key: ['id'] }),
          },
        },
      ]);
      const run = await floe(['egress', 'run', '--spec', spec, '--json'], {
        env: { FLOE_SECRET_DW_URL: my.url },
        timeoutMs: 100_000,
      });
      expect(run.code).toBe(2);

      const landed = await my.query<{ id: string; h: string }>(
        `SELECT id, SHA2(name, 256) AS h FROM \`${table}\` ORDER BY id`,
      );
      const expected = source.filter((r) => r.id !== 17).map((r) => ({ id: String(r.id), h: sha256(r.name) }));
      expect(landed.map((r) => ({ id: String(r.id), h: r.h }))).toEqual(expected);

      const [key, saved] = Object.entries(receipts(join(dir, '.floe')))[0] ?? [];
      const receipt = saved?.receipt as { rowsDelivered: number; rowsRejected: number; errors: unknown[] };
      expect(receipt).toMatchObject({ rowsDelivered: 23, rowsRejected: 1 });
      expect(receipt.errors).toHaveLength(1);
      expect(receipt.errors[0]).toMatchObject({ category: 'PERMANENT', row: 16 });
      expect(String((receipt.errors[0] as { message: string }).message)).toMatch(/max_allowed_packet/);
      const file = join(dir, '.floe', 'runs', `${String(key)}.rejected.jsonl`);
      const rejected = jsonLines(readFileSync(file, 'utf8')) as {
        row: number;
        reason: string;
        values: { id: unknown };
      }[];
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({ row: 16, category: 'PERMANENT' });
      expect(String(rejected[0]?.values.id)).toBe('17');
      expect(rejected[0]?.reason).toMatch(/max_allowed_packet/);
    }, 120_000);
  }
});
