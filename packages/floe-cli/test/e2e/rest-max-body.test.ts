import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Int64, Utf8, makeTable, vectorFromArray } from 'apache-arrow';
import { IcebergTableWriter } from '@floe/lakehouse/testing';
import { startHttpTarget, type HttpTarget } from '@floe/test-harness';
import { floe, jsonLines, receipts, tempDir, writeProject } from './helpers.js';

const MAX_BODY = 4096;

/**
 * `max_body_bytes` (issue 13 §4): a batch whose body would be larger goes as several requests, none above the
 * limit, every record exactly once and in order; a record that alone is larger is rejected as that record
 * (PERMANENT, the reason naming the limit) and never sent.
 */
describe('floe egress run → REST API with max_body_bytes', () => {
  let api: HttpTarget;
  let project: { dir: string; cleanup: () => void };
  const source = Array.from({ length: 40 }, (_, i) => ({
    id: i + 1,
    note: i + 1 === 23 ? 'z'.repeat(MAX_BODY * 3) : `note-${i + 1}-${'n'.repeat((i * 37) % 400)}`,
  }));

  beforeAll(async () => {
    api = await startHttpTarget();
    project = tempDir('floe-maxbody-');
    const writer = await IcebergTableWriter.create({
      location: join(project.dir, 'gold'),
      fields: [
        { id: 1, name: 'id', required: false, type: 'long' },
        { id: 2, name: 'note', required: false, type: 'string' },
      ],
    });
    const table = makeTable({
      id: vectorFromArray(
        source.map((r) => BigInt(r.id)),
        new Int64(),
      ).data[0] as never,
      note: vectorFromArray(
        source.map((r) => r.note),
        new Utf8(),
      ).data[0] as never,
    });
    await writer.commit({ dataFiles: [{ batches: table.batches }] });
  });
  afterAll(async () => {
    await api.close();
    project.cleanup();
  });

  it('cuts batches to the limit and rejects only the record above it', async () => {
    const spec = writeProject(project.dir, [
      {
        name: 'capped',
        sink_type: 'rest_api',
        connection_secret_ref: 'api',
        source_table: join(project.dir, 'gold'),
        batch_size: 20,
        config: { url: `${api.url}/capped`, max_body_bytes: MAX_BODY },
      },
    ]);
    const run = await floe(['egress', 'run', '--spec', spec, '--json'], { env: { FLOE_SECRET_API_TOKEN: 'tok-cap' } });
    expect(run.code).toBe(2);

    const requests = api.requests.filter((request) => request.url === '/capped');
    expect(requests.length).toBeGreaterThan(2);
    for (const request of requests) expect(request.rawBody.length).toBeLessThanOrEqual(MAX_BODY);
    const received = requests.flatMap((request) => request.body as { id: number; note: string }[]);
    expect(received).toEqual(source.filter((row) => row.id !== 23));
    const keys = requests.map((request) => request.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(requests.length);

    const [key, saved] = Object.entries(receipts(join(project.dir, '.floe')))[0] ?? [];
    expect(saved?.receipt).toMatchObject({ rowsDelivered: 39, rowsRejected: 1 });
    const errors = (saved?.receipt as { errors: { category: string; row: number; message: string }[] }).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ category: 'PERMANENT', row: 22 });
    expect(errors[0]?.message).toMatch(/max_body_bytes of 4,096 bytes/);
    const lines = jsonLines(readFileSync(join(project.dir, '.floe', 'runs', `${String(key)}.rejected.jsonl`), 'utf8'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ row: 22, category: 'PERMANENT', values: { id: 23 } });
  }, 60_000);
});
