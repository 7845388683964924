import { join, relative } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { manifestYaml } from '../e2e/helpers.js';
import {
  expectNoDelivery,
  restDestination,
  spec,
  sqlDestination,
  TOKEN,
  WAREHOUSE,
  type BadInputCase,
  type CaseWorld,
} from './corpus.js';

const at = (world: CaseWorld, path: string, message: string): string => `${world.spec}: ${path}: ${message}`;

/**
 * What `egress run` checks once floe.yaml is valid and before the first row is sent — secrets, tables,
 * mappings, the command line, each sink's own config: exit 3, nothing written.
 */
export const SOURCE_CASES: readonly BadInputCase[] = [
  {
    name: 'a missing secret, looked up in the environment only',
    spec: (w) => spec([restDestination(w), sqlDestination(w)]),
    env: (w) => ({ FLOE_SECRET_WAREHOUSE_DB_URL: w.pg.url }),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].connection_secret_ref',
        'secret "crm-api" not found for sink type rest_api: it needs token, or username and password, or api_key',
      ),
      'looked in: environment variable FLOE_SECRET_CRM_API_TOKEN, environment variable FLOE_SECRET_CRM_API_USERNAME',
      'FLOE_SECRETS_DIR is not set, so no secret files were read (set it to the folder holding <secret-name>/<key> files)',
    ],
    effect: 'nothing',
  },
  {
    name: 'a missing secret, looked up in the environment and in FLOE_SECRETS_DIR',
    spec: (w) => spec([sqlDestination(w), restDestination(w)]),
    setup: async (w) => {
      // the folder exists and holds another secret's key, but not this one
      mkdirSync(join(w.dir, 'secrets', 'crm-api'), { recursive: true });
      writeFileSync(join(w.dir, 'secrets', 'crm-api', 'token'), TOKEN);
    },
    env: (w) => ({ FLOE_SECRETS_DIR: join(w.dir, 'secrets') }),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].connection_secret_ref',
        'secret "warehouse-db" not found for sink type sql_database: it needs url',
      ),
      `looked in: environment variable FLOE_SECRET_WAREHOUSE_DB_URL, file ${join(w.dir, 'secrets', 'warehouse-db', 'url')}`,
    ],
    effect: 'nothing',
  },
  {
    name: 'a missing table (a location)',
    spec: (w) => spec([sqlDestination(w, { source_table: './tables/customers' }), restDestination(w)]),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].source_table',
        `cannot open table "./tables/customers" (location ${join(w.dir, 'tables/customers')}): No Iceberg table at`,
      ),
      'found neither metadata/version-hint.text nor any *.metadata.json',
    ],
    effect: 'nothing',
  },
  {
    name: 'a missing table (a catalog identifier)',
    spec: (w) => spec([sqlDestination(w, { source_table: 'default.customers' }), restDestination(w)]),
    manifest: (w) =>
      manifestYaml(undefined, { catalog: { type: 'local', config: { warehouse: relative(w.dir, WAREHOUSE) } } }),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].source_table',
        `cannot open table "default.customers" (catalog identifier default.customers): Table default.customers not found in warehouse "${WAREHOUSE}"`,
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'a catalog identifier without a catalog in the manifest',
    spec: (w) => spec([sqlDestination(w, { source_table: 'gold.customers' })]),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].source_table',
        'cannot open table "gold.customers" (catalog identifier gold.customers): "gold.customers" is a catalog identifier, but the manifest has no plugins.catalog to look it up in (write a table location instead',
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'a mapping from a column the table does not have',
    spec: (w) => spec([restDestination(w, { field_mapping: { valeu: 'v' } }), sqlDestination(w)]),
    exit: 3,
    stderr: (w) => [at(w, 'destinations[0].field_mapping.valeu', 'column "valeu" is not in source table')],
    effect: 'nothing',
  },
  {
    name: 'a --destination that floe.yaml does not declare',
    spec: (w) => spec([restDestination(w), sqlDestination(w)]),
    args: () => ['--destination', 'warehous'],
    exit: 3,
    stderr: (w) => [`--destination: unknown destination "warehous" (${w.spec} declares crm, warehouse)`],
    effect: 'nothing',
  },
  {
    name: 'a malformed --max-rejected',
    spec: (w) => spec([restDestination(w)]),
    args: () => ['--max-rejected', '10 rows'],
    exit: 3,
    stderr: () => ['expected a number of rows (e.g. 100) or a percentage of the source rows (e.g. 1%), got "10 rows"'],
    effect: 'nothing',
  },
  {
    name: 'a merge without primary_key (the sink refuses its config before anything is sent)',
    spec: (w) => spec([restDestination(w), sqlDestination(w, {}, { write_disposition: 'merge' })]),
    exit: 3,
    stderr: (w) => [
      `${w.spec}: destinations[1].config.primary_key: is required for write_disposition merge (the upsert key)`,
      'nothing was written',
    ],
    effect: 'nothing',
  },
  {
    name: 'create_table: false and the table does not exist (floe egress run)',
    spec: (w) => spec([sqlDestination(w, {}, { create_table: false })]),
    exit: 3,
    stderr: () => [/warehouse: failed \(CONFIGURATION\): .*does not exist/],
    // known only once the database answers: a receipt says nothing was delivered
    effect: async (_run, w) => void (await expectNoDelivery(w, 3)),
  },
];
