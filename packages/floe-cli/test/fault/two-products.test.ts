import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { createPgSchema, type PgTestSchema } from '@floe/test-harness';
import { specYaml, tempDir, writeProject } from '../e2e/helpers.js';
import { killAt, runCli, startCli } from './support/cli-process.js';
import { writeSourceTable } from './support/source-table.js';

const ROWS = 6_000;

/**
 * Two data products (floe.yaml `metadata.name`) with a destination of the same name, writing tables of one
 * PostgreSQL schema — so sharing its `_floe_runs` / `_floe_ledger`. Runs are keyed by product + destination:
 * one product's unfinished run neither blocks nor is resumed by the other (before: the second product's run
 * took the first's unfinished run for its own and refused to start, exit 3).
 */
describe('two products with the same destination name in one schema', () => {
  let pg: PgTestSchema;
  let project: { dir: string; cleanup: () => void };
  const gold = (): string => join(project.dir, 'gold');

  beforeAll(async () => {
    pg = await createPgSchema('floe_products');
    project = tempDir('floe-products-');
    await writeSourceTable(gold(), ROWS);
  });
  afterAll(async () => {
    await pg.drop();
    project.cleanup();
  });

  it('keeps their runs apart: each delivers, and the killed one resumes its own run', async () => {
    const env = { FLOE_SECRET_DW_URL: pg.url };
    const spec = (product: string): string => {
      const destinations = [
        {
          name: 'warehouse',
          sink_type: 'sql_database',
          connection_secret_ref: 'dw',
          source_table: gold(),
          batch_size: 200,
          config: { table: `${pg.schema}.${product.replace(/-/g, '_')}`, write_disposition: 'append' },
        },
      ];
      return writeProject(join(project.dir, product), destinations, {
        spec: specYaml(destinations, { metadata: { name: product, version: '1.0.0' } }),
      });
    };
    const args = (product: string): string[] => ['egress', 'run', '--spec', spec(product), '--json'];
    const committed = (): Promise<number> =>
      pg
        .query<{ n: number }>(`SELECT count(*)::int AS n FROM "${pg.schema}"._floe_ledger WHERE state = 'committed'`)
        .then((rows) => rows[0]?.n ?? 0)
        .catch(() => 0);

    await killAt(startCli(args('shop'), env, project.dir), { committed, target: 5, jitterMs: 0 });

    const other = await runCli(args('crm-sync'), env, project.dir);
    expect(other.stderr()).toBe('');
    expect(other.code).toBe(0);
    const receipt = other.events.find((event) => event.event === 'receipt') as { delivery: Record<string, unknown> };
    expect(receipt.delivery).toMatchObject({ product: 'crm-sync', resumed: false, rowsDelivered: ROWS });

    const resumed = await runCli(args('shop'), env, project.dir);
    expect(resumed.code).toBe(0);
    const again = resumed.events.find((event) => event.event === 'receipt') as { delivery: Record<string, unknown> };
    expect(again.delivery).toMatchObject({ product: 'shop', resumed: true, rowsDelivered: ROWS });
    for (const table of ['shop', 'crm_sync']) {
      const rows = await pg.query<{ n: number; ids: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM "${pg.schema}"."${table}"`,
      );
      expect(rows).toEqual([{ n: ROWS, ids: ROWS }]);
    }
    const products = await pg.query<{ product: string }>(
      `SELECT DISTINCT product FROM "${pg.schema}"._floe_runs ORDER BY product`,
    );
    expect(products.map((row) => row.product)).toEqual(['crm-sync', 'shop']);
  }, 120_000);
});
