// The foundation's reusable contract suite, run against the plugin's real sinks: rest_api against a
// loopback HTTP API, sql_database against real PostgreSQL and a SQLite file.
import { afterAll, beforeAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SinkConfig } from '@floe/core';
import { describeSinkConnector, type SinkUnderTest } from '@floe/contract-tests';
import { createPgSchema, startHttpTarget, type HttpTarget, type PgTestSchema } from '@floe/test-harness';
import { DltIngestionPlugin } from '../../src/index.js';

const capabilities = { recordIds: true, fieldMapping: true, emptyInput: true };
const LEDGER_TABLES = ['_floe_ledger', '_floe_runs'];

async function startedPlugin(): Promise<DltIngestionPlugin> {
  const plugin = new DltIngestionPlugin();
  await plugin.startup();
  return plugin;
}

// One API for the whole suite: the idempotency check compares keys of two fresh sinks, and a key is derived
// from the destination's identity (its URL), so each "fresh" sink is the same URL with its requests forgotten.
let api: HttpTarget;
beforeAll(async () => {
  api = await startHttpTarget((request) => ({
    status: 200,
    body: (request.body as { id: number }[]).map((record) => ({ id: `rec-${record.id}` })),
  }));
});
afterAll(() => api.close());

describeSinkConnector(
  async (): Promise<SinkUnderTest> => {
    const first = api.requests.length;
    const connector = await startedPlugin();
    return {
      connector,
      config: new SinkConfig({
        sinkType: 'rest_api',
        name: 'contract-rest',
        connectionConfig: { url: `${api.url}/contacts`, record_id_path: 'id', token: 'contract-token' },
      }),
      readBack: async () => api.requests.slice(first).flatMap((request) => request.body as Record<string, unknown>[]),
      cleanup: () => connector.shutdown(),
    };
  },
  capabilities,
  { title: 'SinkConnector contract (rest_api, loopback HTTP)' },
);

// PostgreSQL: one schema for the suite; each fresh sink starts from an empty schema (table and ledger dropped).
let pgSchema: PgTestSchema;
beforeAll(async () => {
  pgSchema = await createPgSchema('floe_contract');
});
afterAll(() => pgSchema.drop());

describeSinkConnector(
  async (): Promise<SinkUnderTest> => {
    const table = `${pgSchema.schema}.contacts`;
    for (const name of ['contacts', ...LEDGER_TABLES])
      await pgSchema.query(`DROP TABLE IF EXISTS "${pgSchema.schema}"."${name}"`);
    const connector = await startedPlugin();
    return {
      connector,
      config: new SinkConfig({
        sinkType: 'sql_database',
        name: 'contract-pg',
        connectionConfig: { url: pgSchema.url, table, write_disposition: 'append', primary_key: ['id'] },
      }),
      readBack: async () => {
        const [found] = await pgSchema.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [
          table,
        ]);
        return found?.exists ? pgSchema.query(`SELECT * FROM ${table}`) : [];
      },
      cleanup: () => connector.shutdown(),
    };
  },
  capabilities,
  { title: 'SinkConnector contract (sql_database, PostgreSQL)' },
);

// SQLite: one file path for the suite, removed before each fresh sink.
const sqliteDir = mkdtempSync(join(tmpdir(), 'floe-contract-'));
const sqliteFile = join(sqliteDir, 'contract.db');
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));

describeSinkConnector(
  async (): Promise<SinkUnderTest> => {
    rmSync(sqliteFile, { force: true });
    const connector = await startedPlugin();
    return {
      connector,
      config: new SinkConfig({
        sinkType: 'sql_database',
        name: 'contract-sqlite',
        connectionConfig: {
          url: `sqlite:${sqliteFile}`,
          table: 'contacts',
          write_disposition: 'append',
          primary_key: ['id'],
        },
      }),
      readBack: async () => {
        const db = new Database(sqliteFile);
        try {
          const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'contacts'`).get();
          return exists ? (db.prepare('SELECT * FROM contacts').all() as Record<string, unknown>[]) : [];
        } finally {
          db.close();
        }
      },
      cleanup: () => connector.shutdown(),
    };
  },
  capabilities,
  { title: 'SinkConnector contract (sql_database, SQLite)' },
);
