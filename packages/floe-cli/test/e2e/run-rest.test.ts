import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startHttpTarget, type HttpTarget } from '@floe/test-harness';
import { encodeJsonRows } from '@floe/ingestion-dlt';
import { openTable } from '@floe/lakehouse';
import { BIN, FIXTURES, floe, jsonLines, receipts, tempDir, writeProject } from './helpers.js';

/** The JSON records the lakehouse reader's batches encode to (what the API must receive). */
async function expectedRecords(path: string): Promise<unknown[]> {
  const table = await openTable({ location: join(FIXTURES, path) });
  const records: unknown[] = [];
  for await (const batch of table.batches())
    records.push(...encodeJsonRows(batch).map((text) => JSON.parse(text) as unknown));
  return records;
}

function bodies(target: HttpTarget, path: string): unknown[] {
  return target.requests.filter((request) => request.url === path).flatMap((request) => request.body as unknown[]);
}

describe('floe egress run → REST API', () => {
  let target: HttpTarget;
  let project: { dir: string; cleanup: () => void };
  const token = 'tok-RESTsecret-7731';

  beforeEach(async () => {
    target = await startHttpTarget();
    project = tempDir();
  });
  afterEach(async () => {
    await target.close();
    project.cleanup();
  });

  it('posts every row of several fixtures, in batches, with the bearer token, and exits 0', async () => {
    const tables = [
      { name: 'people', path: 'duckdb-iceberg/column_mapping/warehouse/default.db/my_table', rows: 3 },
      { name: 'uuids', path: 'duckdb-iceberg/uuid', rows: 10 },
      { name: 'partitioned', path: 'duckdb-iceberg/equality_deletes/warehouse/mydb/mytable_partitioned', rows: 3 },
    ];
    const spec = writeProject(
      project.dir,
      tables.map((t) => ({
        name: t.name,
        sink_type: 'rest_api',
        connection_secret_ref: 'crm-api',
        source_table: join(FIXTURES, t.path),
        batch_size: 4,
        config: { url: `${target.url}/${t.name}` },
      })),
    );
    const run = await floe(['egress', 'run', '--spec', spec], { env: { FLOE_SECRET_CRM_API_TOKEN: token } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const t of tables) {
      const expected = await expectedRecords(t.path);
      expect(expected).toHaveLength(t.rows);
      expect(bodies(target, `/${t.name}`)).toEqual(expected);
      expect(target.requests.filter((request) => request.url === `/${t.name}`)).toHaveLength(Math.ceil(t.rows / 4));
    }
    expect(target.requests.every((request) => request.headers.authorization === `Bearer ${token}`)).toBe(true);
    const people = bodies(target, '/people') as { name: string; age: number }[];
    expect(people.map((p) => [p.name, p.age])).toEqual(
      expect.arrayContaining([
        ['Alice', 25],
        ['Bob', 30],
        ['Charlie', 35],
      ]),
    );

    const saved = receipts(join(project.dir, '.floe'));
    expect(Object.keys(saved)).toHaveLength(3);
    for (const receipt of Object.values(saved))
      expect(receipt).toMatchObject({ status: 'delivered', exitCode: 0, receipt: { success: true } });
    expect(run.stdout + run.stderr + JSON.stringify(saved)).not.toContain(token);
  });

  it("reads a catalog identifier through the manifest's plugins.catalog (a local warehouse, relative to the manifest)", async () => {
    const spec = writeProject(
      project.dir,
      [
        {
          name: 'people',
          sink_type: 'rest_api',
          connection_secret_ref: 'crm-api',
          source_table: 'default.my_table',
          field_mapping: { name: 'full_name' },
          config: { url: `${target.url}/people` },
        },
      ],
      // relative to the manifest's folder, as every path written in the project files
      {
        plugins: {
          catalog: {
            type: 'local',
            config: { warehouse: relative(project.dir, join(FIXTURES, 'duckdb-iceberg/column_mapping/warehouse')) },
          },
        },
      },
    );
    const run = await floe(['egress', 'run', '--spec', spec], { env: { FLOE_SECRET_CRM_API_TOKEN: token } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const people = bodies(target, '/people') as { full_name: string; age: number }[];
    expect(people.map((p) => [p.full_name, p.age]).sort()).toEqual([
      ['Alice', 25],
      ['Bob', 30],
      ['Charlie', 35],
    ]);
    expect(run.events.find((event) => event.event === 'destination.started')).toMatchObject({
      sourceTable: 'default.my_table',
      rows: 3,
    });
  });

  it('exits 2 and saves a partial receipt when the API rejects a row', async () => {
    target.handle((request) =>
      (request.body as { id: number }[]).some((row) => row.id === 5)
        ? { status: 200, body: { errors: [{ index: 0, message: 'duplicate id 5' }] } }
        : { status: 200, body: {} },
    );
    const spec = writeProject(project.dir, [
      {
        name: 'eqdel',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm-api',
        source_table: join(FIXTURES, 'duckdb-iceberg/equality_deletes/warehouse/mydb/mytable'),
        batch_size: 1,
        config: { url: `${target.url}/rows` },
      },
    ]);
    const run = await floe(['egress', 'run', '--spec', spec], { env: { FLOE_SECRET_CRM_API_TOKEN: token } });
    expect(run.code).toBe(2);
    const [receipt] = Object.values(receipts(join(project.dir, '.floe')));
    expect(receipt).toMatchObject({
      status: 'partial',
      exitCode: 2,
      receipt: { rowsDelivered: 1, rowsRejected: 1, success: false },
    });
    expect(run.events.find((event) => event.event === 'run.finished')).toMatchObject({
      exitCode: 2,
      destinations: { eqdel: 'partial' },
    });
  });

  it('records the ids the API returns and authenticates with username and password from FLOE_SECRETS_DIR', async () => {
    target.handle((request) => ({
      status: 201,
      body: (request.body as { id: number }[]).map((row) => ({ id: `rec-${row.id}` })),
    }));
    const secrets = join(project.dir, 'secrets');
    mkdirSync(join(secrets, 'crm-basic'), { recursive: true });
    writeFileSync(join(secrets, 'crm-basic', 'username'), 'floe-bot\n');
    writeFileSync(join(secrets, 'crm-basic', 'password'), 'basic-PW-99\n');
    const spec = writeProject(project.dir, [
      {
        name: 'athena',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm-basic',
        source_table: join(FIXTURES, 'icebird/athena/example'),
        config: { url: `${target.url}/rows`, record_id_path: 'id' },
      },
    ]);
    const run = await floe(['egress', 'run', '--spec', spec, '--json'], { env: { FLOE_SECRETS_DIR: secrets } });
    expect(run.code).toBe(0);
    const basic = Buffer.from('floe-bot:basic-PW-99').toString('base64');
    expect(target.requests[0]?.headers.authorization).toBe(`Basic ${basic}`);
    const [receipt] = Object.values(receipts(join(project.dir, '.floe')));
    expect((receipt?.receipt as { destinationRecordIds: string[] }).destinationRecordIds.sort()).toEqual([
      'rec-1',
      'rec-2',
    ]);
    const everything = run.stdout + run.stderr + JSON.stringify(receipt);
    expect(everything).not.toContain('basic-PW-99');
    expect(everything).not.toContain(basic);
  });

  it('stops between batches on Ctrl-C, exits 130 and says what was delivered', async () => {
    let release: () => void = () => {};
    const firstRequest = new Promise<void>((resolve) => (release = resolve));
    target.handle(async () => {
      release();
      await new Promise((resolve) => setTimeout(resolve, 150));
      return { status: 200, body: {} };
    });
    const spec = writeProject(project.dir, [
      {
        name: 'bunnies',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm-api',
        source_table: join(FIXTURES, 'icebird/spark/bunnies'),
        batch_size: 1,
        config: { url: `${target.url}/rows` },
      },
    ]);
    const child = spawn(process.execPath, [BIN, 'egress', 'run', '--spec', spec], {
      env: { PATH: process.env.PATH ?? '', FLOE_SECRET_CRM_API_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await firstRequest;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toContain('Stopping after the current batch');
    expect(code).toBe(130);
    expect(target.requests.length).toBeLessThan(20);
    const [receipt] = Object.values(receipts(join(project.dir, '.floe')));
    expect(receipt).toMatchObject({ status: 'interrupted', exitCode: 130 });
    const delivered = (receipt?.receipt as { rowsDelivered: number } | null)?.rowsDelivered ?? 0;
    expect(delivered).toBeLessThanOrEqual(target.requests.length);
    expect(jsonLines(stdout).at(-1)).toMatchObject({ event: 'run.finished', exitCode: 130 });
  });
});
