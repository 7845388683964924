// MariaDB and SQLite append through the sql_database sink (no baseline here: they show the sink's reach).
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { deliver, MYSQL_URL, seconds } from './util.mjs';

export async function otherSqlPaths({ rows, data, api }) {
  const admin = await mysql.createConnection({ uri: MYSQL_URL });
  const database = 'floe_bench';
  const url = new URL(MYSQL_URL);
  url.pathname = `/${database}`;
  const sqliteDir = mkdtempSync(join(tmpdir(), 'floe-bench-sqlite-'));
  const sqliteFile = join(sqliteDir, 'bench.db');
  const config = (name, connection) => ({
    sinkType: 'sql_database',
    name,
    batchSize: 50_000,
    connectionConfig: { ...connection, table: 'bench', write_disposition: 'append', primary_key: ['id'] },
  });
  return {
    mariadb_append: {
      setup: async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${database}`);
        await admin.query(`CREATE DATABASE ${database}`);
      },
      run: () =>
        seconds(() => deliver(api, config('bench-mariadb', { url: url.toString(), max_concurrency: 2 }), data, rows)),
      check: async () => {
        const [[{ n }]] = await admin.query(`SELECT count(*) AS n FROM ${database}.bench`);
        if (Number(n) !== rows) throw new Error(`mariadb_append: ${n} rows, expected ${rows}`);
      },
    },
    sqlite_append: {
      setup: () => rmSync(sqliteFile, { force: true }),
      run: () => seconds(() => deliver(api, config('bench-sqlite', { url: `sqlite:${sqliteFile}` }), data, rows)),
      check: () => {
        const db = new Database(sqliteFile, { readonly: true });
        const { n } = db.prepare('SELECT count(*) AS n FROM bench').get();
        db.close();
        if (n !== rows) throw new Error(`sqlite_append: ${n} rows, expected ${rows}`);
      },
    },
    cleanup: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
      rmSync(sqliteDir, { recursive: true, force: true });
    },
  };
}
