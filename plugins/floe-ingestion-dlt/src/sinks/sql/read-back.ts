import type { DestinationPreview } from '@floe/core';
import { sqliteFile } from './sqlite-url.js';

/** Loads an optional driver by name (better-sqlite3, pg); injected for tests. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

const defaultLoader: ModuleLoader = (specifier) => import(specifier);

/**
 * Reads the first `limit` rows of a `sql_database` destination (`SELECT * … LIMIT n`, read-only) for
 * `--preview`. SQLite and PostgreSQL are read with better-sqlite3 / pg when installed; other
 * targets say why they cannot be previewed.
 */
export async function readBackSqlDestination(
  config: Readonly<Record<string, unknown>>,
  connection: Readonly<Record<string, string>>,
  limit: number,
  load: ModuleLoader = defaultLoader,
): Promise<DestinationPreview> {
  const url = connection.url;
  const table = typeof config.table === 'string' ? config.table : undefined;
  if (url === undefined || table === undefined) return { ok: false, reason: 'no url or table' };
  const file = sqliteFile(url);
  try {
    if (file !== undefined) return await previewSqlite(file, table, limit, load);
    if (/^postgres(ql)?:\/\//i.test(url)) return await previewPostgres(url, table, limit, load);
  } catch (error) {
    return { ok: false, reason: `cannot read it back: ${(error as Error).message}` };
  }
  return { ok: false, reason: 'previews are available for SQLite and PostgreSQL destinations' };
}

/** `"schema"."table"` with each part quoted for SQLite / PostgreSQL. */
export function quoteTable(table: string): string {
  return table
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

interface SqliteDatabase {
  prepare(sql: string): { all(...params: unknown[]): Record<string, unknown>[]; columns(): { name: string }[] };
  close(): void;
}

async function previewSqlite(
  file: string,
  table: string,
  limit: number,
  load: ModuleLoader,
): Promise<DestinationPreview> {
  const module = (await load('better-sqlite3')) as {
    default: new (file: string, options: { readonly: boolean; fileMustExist: boolean }) => SqliteDatabase;
  };
  const db = new module.default(file, { readonly: true, fileMustExist: true });
  try {
    const statement = db.prepare(`SELECT * FROM ${quoteTable(table)} LIMIT ?`);
    const rows = statement.all(limit);
    return { ok: true, columns: statement.columns().map((c) => c.name), rows };
  } finally {
    db.close();
  }
}

interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[]; fields: { name: string }[] }>;
  end(): Promise<void>;
}

async function previewPostgres(
  url: string,
  table: string,
  limit: number,
  load: ModuleLoader,
): Promise<DestinationPreview> {
  const module = (await load('pg')) as { default: { Client: new (config: { connectionString: string }) => PgClient } };
  const client = new module.default.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(`SELECT * FROM ${quoteTable(table)} LIMIT $1`, [limit]);
    return { ok: true, columns: result.fields.map((f) => f.name), rows: result.rows };
  } finally {
    await client.end();
  }
}
