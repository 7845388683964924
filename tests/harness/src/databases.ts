import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** Where the test servers are; override with `FLOE_TEST_PG_URL` / `FLOE_TEST_MYSQL_URL`. */
export const PG_URL = process.env.FLOE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.FLOE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** A throwaway PostgreSQL schema in the test database, dropped by `drop()`. */
export interface PgTestSchema {
  /** Connection URL of the database (the schema is not part of it). */
  readonly url: string;
  /** The schema's name, e.g. `floe_t_1a2b3c4d`. */
  readonly schema: string;
  readonly pool: pg.Pool;
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** Creates a fresh schema on the test PostgreSQL server. */
export async function createPgSchema(prefix = 'floe_t'): Promise<PgTestSchema> {
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: PG_URL, max: 2 });
  await pool.query(`CREATE SCHEMA "${schema}"`);
  return {
    url: PG_URL,
    schema,
    pool,
    async query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]) {
      return (await pool.query<R>(sql, params)).rows;
    },
    async drop() {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

/** A throwaway MariaDB/MySQL database, dropped by `drop()`. */
export interface MysqlTestDatabase {
  /** Connection URL including the database. */
  readonly url: string;
  readonly database: string;
  readonly connection: mysql.Connection;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** Creates a fresh database on the test MariaDB server. */
export async function createMysqlDatabase(prefix = 'floe_t'): Promise<MysqlTestDatabase> {
  const database = `${prefix}_${randomBytes(4).toString('hex')}`;
  const connection = await mysql.createConnection({
    uri: MYSQL_URL,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  });
  await connection.query(`CREATE DATABASE \`${database}\``);
  await connection.query(`USE \`${database}\``);
  const url = new URL(MYSQL_URL);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    database,
    connection,
    async query<R>(sql: string, params?: unknown[]) {
      const [rows] = await connection.query(sql, params);
      return rows as R[];
    },
    async drop() {
      await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await connection.end();
    },
  };
}
