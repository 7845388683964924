import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { Dictionary, Float32, Int32, Int64 as ArrowInt64, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { captureSpans, spanText, type MemorySpans } from '@floe/test-harness';
import { isSinkConnectionError, isSinkConfigurationError } from '../../../src/errors/index.js';
import { loadToDestination } from '../../../src/engine/destination/load.js';
import { createSqlDatabaseDestination } from '../../../src/sinks/sql/index.js';
import { built, customers, dateDays, tableOf, timestampUs } from './support/arrow-fixtures.js';
import { sharedSqlSinkSuite } from './support/shared-suite.js';
import { PG_PASSWORD, loadOnce, postgresDatabase, sqlSinkConfig, type SqlTestDatabase } from './support/sql-sink.js';

describe('sql_database sink on PostgreSQL', () => {
  sharedSqlSinkSuite(postgresDatabase);
});

describe('sql_database sink on PostgreSQL: failures and fast path', () => {
  let db: SqlTestDatabase;
  let spans: MemorySpans;
  beforeAll(async () => {
    db = await postgresDatabase();
    spans = captureSpans();
  });
  afterAll(async () => {
    await spans.shutdown();
    await db.drop();
  });

  /** A table whose BEFORE INSERT (or deferred, at COMMIT) trigger kills its own session once, at row `id`. */
  async function killingTable(table: string, id: number, atCommit: boolean): Promise<void> {
    await db.query(`CREATE TABLE $schema.${table} (customer_id BIGINT PRIMARY KEY, name TEXT, score DOUBLE PRECISION)`);
    await db.query(`CREATE SEQUENCE $schema.${table}_kills`);
    await db.query(`CREATE FUNCTION $schema.${table}_kill() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.customer_id = ${id} AND nextval('$schema.${table}_kills') = 1 THEN
          PERFORM pg_terminate_backend(pg_backend_pid());
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(
      atCommit
        ? `CREATE CONSTRAINT TRIGGER kill AFTER INSERT ON $schema.${table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION $schema.${table}_kill()`
        : `CREATE TRIGGER kill BEFORE INSERT ON $schema.${table} FOR EACH ROW EXECUTE FUNCTION $schema.${table}_kill()`,
    );
  }

  async function idsOf(table: string): Promise<number[]> {
    return (
      await db.query<{ id: string }>(`SELECT customer_id::text AS id FROM $schema.${table} ORDER BY customer_id`)
    ).map((row) => Number(row.id));
  }

  async function killsOf(table: string): Promise<string | undefined> {
    return (await db.query<{ v: string }>(`SELECT last_value::text AS v FROM $schema.${table}_kills`))[0]?.v;
  }

  const oneTo = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

  it('retries a batch whose connection is terminated mid-COPY and delivers every row exactly once', async () => {
    await killingTable('killed_append', 150, false);
    const receipt = await loadOnce(db.url, { table: db.qualified('killed_append') }, customers(300), {
      batchSize: 100,
    });
    expect(receipt.success).toBe(true);
    expect(receipt.rowsDelivered).toBe(300);
    expect(await idsOf('killed_append')).toEqual(oneTo(300));
    expect(await killsOf('killed_append')).toBe('2');
  });

  it('retries a merge whose connection is terminated during INSERT … ON CONFLICT', async () => {
    await killingTable('killed_merge', 42, false);
    const config = { table: db.qualified('killed_merge'), write_disposition: 'merge', primary_key: ['customer_id'] };
    const receipt = await loadOnce(db.url, config, customers(100), { batchSize: 30 });
    expect(receipt.success).toBe(true);
    expect(await idsOf('killed_merge')).toEqual(oneTo(100));
    expect(await killsOf('killed_merge')).toBe('2');
  });

  it('asks txid_status after a COMMIT that lost its connection, and retries only an aborted transaction', async () => {
    await killingTable('killed_commit', 7, true);
    const receipt = await loadOnce(db.url, { table: db.qualified('killed_commit') }, customers(20), { batchSize: 10 });
    expect(receipt.success).toBe(true);
    expect(await idsOf('killed_commit')).toEqual(oneTo(20));
    expect(await killsOf('killed_commit')).toBe('2');
  });

  it('retries a batch whose connection the network drops mid-COPY (a closed socket, no SQLSTATE)', async () => {
    // A loopback TCP proxy in front of PostgreSQL: the sink connects through it, and it cuts the connection
    // once, in the middle of the COPY data of the 3rd batch. pg then reports "Connection terminated
    // unexpectedly" with no code, unlike pg_terminate_backend's 57P01.
    await db.query(`CREATE TABLE $schema.dropped (customer_id BIGINT PRIMARY KEY, name TEXT, score DOUBLE PRECISION)`);
    let upstreamBytes = 0;
    let cut = false;
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const server = connect(5432, '127.0.0.1');
      sockets.add(client).add(server);
      const drop = (): void => {
        client.destroy();
        server.destroy();
      };
      client.on('error', drop).on('close', drop);
      server.on('error', drop).on('close', drop);
      server.pipe(client);
      client.on('data', (chunk: Buffer) => {
        upstreamBytes += chunk.length;
        // 3 batches of 2,000 rows are ~100 kB each: cut inside the third.
        if (!cut && upstreamBytes > 250_000) {
          cut = true;
          drop();
          return;
        }
        server.write(chunk);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as AddressInfo).port;
    try {
      const url = `postgres://postgres@127.0.0.1:${port}/test`;
      const receipt = await loadOnce(url, { table: db.qualified('dropped') }, customers(10_000), { batchSize: 2_000 });
      expect(cut).toBe(true);
      expect(receipt.errors).toEqual([]);
      expect(receipt.rowsDelivered).toBe(10_000);
      expect(await idsOf('dropped')).toEqual(oneTo(10_000));
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('never lets the connection URL or its password reach errors or spans', async () => {
    spans.reset();
    const refused = createSqlDatabaseDestination(
      sqlSinkConfig(`postgres://postgres:${PG_PASSWORD}@127.0.0.1:1/test`, { table: 'nowhere' }),
    );
    const receipt = await loadToDestination(refused, customers(2));
    await refused.hooks.close?.();
    expect(receipt.success).toBe(false);
    expect(receipt.errors[0]?.category).toBe('TRANSIENT');
    expect(receipt.errors[0]?.message).toMatch(/preparing table nowhere: .*ECONNREFUSED.*attempts=4/);
    const failing = await loadOnce(
      db.url,
      { table: db.qualified('leak_check') },
      tableOf({ 'bad name': built(['x'], new Utf8()) }),
    );
    let thrown: unknown;
    try {
      createSqlDatabaseDestination(
        sqlSinkConfig(`postgres://postgres:${PG_PASSWORD}@127.0.0.1:5432/test`, {
          table: 'x',
          write_disposition: 'upsert',
        }),
      );
    } catch (error) {
      thrown = error;
    }
    expect(isSinkConfigurationError(thrown)).toBe(true);
    const everything = [JSON.stringify(receipt), JSON.stringify(failing), String(thrown), spanText(spans.spans())].join(
      '\n',
    );
    expect(everything).not.toContain(PG_PASSWORD);
    expect(everything).not.toContain('postgres:s3cr3t');
    expect(spans.named('sink.batch').length + spans.named('sink.load').length).toBeGreaterThan(0);
  });

  it('reports a connection failure as a SinkConnectionError carrying destination, sink type and attempts', async () => {
    const sink = createSqlDatabaseDestination(
      sqlSinkConfig(`postgres://postgres:${PG_PASSWORD}@127.0.0.1:1/test`, { table: 'nowhere' }, { name: 'dw' }),
    );
    let thrown: unknown;
    try {
      await sink.hooks.open?.({
        table: { name: 'nowhere', columns: [], primaryKey: [], arrowSchema: customers(1).schema },
        signal: new AbortController().signal,
        span: undefined as never,
      });
    } catch (error) {
      thrown = error;
    } finally {
      await sink.hooks.close?.();
    }
    expect(isSinkConnectionError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ destination: 'dw', sinkType: 'sql_database', attempts: 4, category: 'TRANSIENT' });
  });

  it('puts db.system.name and the table on the batch spans', async () => {
    spans.reset();
    await loadOnce(db.url, { table: db.qualified('traced') }, customers(3));
    const batch = spans.named('sink.batch')[0];
    expect(batch?.attributes['db.system.name']).toBe('postgresql');
    expect(batch?.attributes['db.collection.name']).toMatch(/\.traced$/);
  });

  it('falls back to text COPY for columns without a binary writer and still writes exact values', async () => {
    const codes = vectorFromArray([7, 8, 7, null], new Dictionary(new Int32(), new Int32()));
    const data = tableOf({
      id: vectorFromArray([1n, 2n, 3n, 4n], new ArrowInt64()),
      code: codes as never,
      label: built(['a\tb', 'c\\d', 'e\nf', null], new Utf8()),
    });
    const receipt = await loadOnce(db.url, { table: db.qualified('text_copy') }, data);
    expect(receipt.success).toBe(true);
    const rows = await db.query<{ code: number | null; label: string | null }>(
      `SELECT code, label FROM $schema.text_copy ORDER BY id`,
    );
    expect(rows).toEqual([
      { code: 7, label: 'a\tb' },
      { code: 8, label: 'c\\d' },
      { code: 7, label: 'e\nf' },
      { code: null, label: null },
    ]);
  });

  it.each([
    ['binary', false],
    ['text', true],
  ])(
    'writes BC and five-digit-year timestamps and dates exactly through %s COPY',
    async (format: string, forceText: boolean) => {
      const table = `far_${format}`;
      const stamps = [-62_167_219_200_000_000n, -210_866_803_200_000_000n, 253_402_300_800_000_001n, -1n];
      const columns: Record<string, Vector> = {
        id: vectorFromArray([1, 2, 3, 4], new Int32()),
        ts: timestampUs(stamps),
        day: dateDays([-719_529, -2_440_588, 2_932_897, -1]),
      };
      if (forceText) columns.code = vectorFromArray([1, 1, 2, 2], new Dictionary(new Int32(), new Int32()));
      const data = tableOf(columns);
      const receipt = await loadOnce(db.url, { table: db.qualified(table) }, data);
      expect(receipt.errors).toEqual([]);
      const rows = await db.query<{ ts: string; day: string }>(
        `SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US BC') AS ts, to_char(day, 'YYYY-MM-DD BC') AS day FROM $schema.${table} ORDER BY id`,
      );
      expect(rows).toEqual([
        { ts: '0001-01-01 00:00:00.000000 BC', day: '0002-12-31 BC' },
        { ts: '4714-11-24 00:00:00.000000 BC', day: '4714-11-24 BC' },
        { ts: '10000-01-01 00:00:00.000001 AD', day: '10000-01-01 AD' },
        { ts: '1969-12-31 23:59:59.999999 AD', day: '1969-12-31 AD' },
      ]);
    },
  );

  it('writes into an existing table with wider compatible column types (int32 into bigint and numeric, utf8 into varchar)', async () => {
    await db.query(
      `CREATE TABLE $schema.wider (id NUMERIC(12,0) PRIMARY KEY, n BIGINT, label VARCHAR(5), f DOUBLE PRECISION)`,
    );
    const data = tableOf({
      id: built([1, 2], new Int32()),
      n: built([-5, 2147483647], new Int32()),
      label: built(['abc', 'toolong'], new Utf8()),
      f: vectorFromArray([1.5, 2.5], new Float32()) as never,
    });
    const receipt = await loadOnce(db.url, { table: db.qualified('wider'), primary_key: ['id'] }, data);
    expect(receipt.rowsDelivered).toBe(1);
    expect(receipt.errors).toEqual([
      expect.objectContaining({
        row: 1,
        key: '2',
        message: expect.stringMatching(/value too long for type character varying\(5\)/),
      }),
    ]);
    expect(await db.query(`SELECT id::text, n::text, label, f FROM $schema.wider`)).toEqual([
      { id: '1', n: '-5', label: 'abc', f: 1.5 },
    ]);
  });

  it('replaces a table other objects depend on by failing the swap and leaving the old table intact', async () => {
    const config = { table: db.qualified('viewed'), write_disposition: 'replace' };
    await loadOnce(db.url, config, customers(3));
    await db.query(`CREATE VIEW $schema.viewed_v AS SELECT * FROM $schema.viewed`);
    const receipt = await loadOnce(db.url, config, customers(5, 10));
    expect(receipt.success).toBe(false);
    expect(receipt.rowsDelivered).toBe(0);
    expect(receipt.errors[0]?.message).toMatch(/swapping the replaced table .*viewed in/);
    expect(await idsOf('viewed')).toEqual([1, 2, 3]);
    const leftovers = await db.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = '$schema' AND tablename LIKE 'viewed__floe%'`,
    );
    expect(leftovers).toEqual([]);
  });
});
