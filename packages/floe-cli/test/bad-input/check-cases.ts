import {
  restDestination,
  secretsEnv,
  spec,
  sqlDestination,
  TOKEN,
  type BadInputCase,
  type CaseWorld,
} from './corpus.js';

/** `<floe.yaml path>: <path>: <message>` as printed. */
const at = (world: CaseWorld, path: string, message: string): string => `${world.spec}: ${path}: ${message}`;

/** The environment with the database URL of the case's own choosing. */
const withDatabaseUrl =
  (url: (world: CaseWorld) => string) =>
  (world: CaseWorld): Record<string, string> => ({ ...secretsEnv(world), FLOE_SECRET_WAREHOUSE_DB_URL: url(world) });

const IDENTIFIER = '^[A-Za-z_][A-Za-z0-9_]*$ (letters, digits, underscore; not starting with a digit)';
const MERGE_KEY = 'is required for write_disposition merge (the upsert key)';
const SQLITE_CONCURRENCY = 'must be 1 for SQLite (one writer at a time), got 2: remove it or set 1';
/** A field name floe.yaml accepts but SQL does not: longer than PostgreSQL's 63 characters. */
const LONG_NAME = `value_${'x'.repeat(60)}`;
const COLUMN_NAME = `column name "${LONG_NAME}" is longer than 63 characters; rename it with field_mapping`;

/**
 * What a sink refuses before its first row, refused by `floe validate` too, with the words `egress run` uses
 * (the sink type's `check`, given the secret and the source's columns when they are available).
 */
export const CHECK_CASES: readonly BadInputCase[] = [
  {
    name: 'a merge without primary_key (floe validate)',
    spec: (w) => spec([restDestination(w), sqlDestination(w, {}, { write_disposition: 'merge' })]),
    command: ['validate'],
    exit: 3,
    stderr: (w) => [at(w, 'destinations[1].config.primary_key', MERGE_KEY)],
    effect: 'nothing',
  },
  {
    name: 'a table name that is not an identifier (floe validate)',
    spec: (w) => spec([sqlDestination(w, {}, { table: 'x; drop table y' })]),
    command: ['validate'],
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].config.table',
        `must be table or db_schema.table: "x; drop table y" must match ${IDENTIFIER}`,
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'SQLite with max_concurrency: 2, the URL in the secret (floe validate)',
    spec: (w) => spec([sqlDestination(w, {}, { table: 'target', max_concurrency: 2 })]),
    command: ['validate'],
    env: withDatabaseUrl((w) => `sqlite:${w.dir}/out/target.db`),
    exit: 3,
    stderr: (w) => [at(w, 'destinations[0].config.max_concurrency', SQLITE_CONCURRENCY)],
    effect: 'nothing',
  },
  {
    name: 'SQLite with max_concurrency: 2 (floe egress run: the same words, before the first row)',
    spec: (w) => spec([sqlDestination(w, {}, { table: 'target', max_concurrency: 2 })]),
    env: withDatabaseUrl((w) => `sqlite:${w.dir}/out/target.db`),
    exit: 3,
    stderr: (w) => [at(w, 'destinations[0].config.max_concurrency', SQLITE_CONCURRENCY), 'nothing was written'],
    effect: 'nothing',
  },
  {
    name: 'max_concurrency: 2 without the secret: validate warns, checks the rest, exits 0',
    spec: (w) => spec([sqlDestination(w, {}, { table: 'target', max_concurrency: 2 })]),
    command: ['validate'],
    env: () => ({}),
    exit: 0,
    stderr: (w) => [
      `warning: ${w.spec}: destinations[0].connection_secret_ref: `,
      '(the connection is checked only when the secret is available; egress run needs it)',
    ],
    effect: 'nothing',
  },
  {
    name: 'a source column mapped to a name SQL cannot take (floe validate)',
    spec: (w) => spec([sqlDestination(w, { field_mapping: { value: LONG_NAME } })]),
    command: ['validate'],
    exit: 3,
    stderr: (w) => [at(w, 'destinations[0].source_table', COLUMN_NAME)],
    effect: 'nothing',
  },
  {
    name: 'a source column mapped to a name SQL cannot take (floe egress run: the same words)',
    spec: (w) => spec([sqlDestination(w, { field_mapping: { value: LONG_NAME } })]),
    exit: 3,
    stderr: (w) => [at(w, 'destinations[0].source_table', COLUMN_NAME), 'nothing was written'],
    effect: 'nothing',
  },
  {
    name: 'two columns differing only in case after field_mapping (floe validate)',
    spec: (w) => spec([sqlDestination(w, { field_mapping: { value: 'ID' } })]),
    command: ['validate'],
    exit: 3,
    stderr: (w) => [
      at(w, 'destinations[0].source_table', '"id" and "ID" differ only in case; rename one with field_mapping'),
    ],
    effect: 'nothing',
  },
  {
    name: 'a merge key the source does not have (floe validate)',
    spec: (w) => spec([sqlDestination(w, {}, { write_disposition: 'merge', primary_key: ['customer_id'] })]),
    command: ['validate'],
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].config.primary_key[0]',
        '"customer_id" is not a column of the data (after field mapping): id, value',
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'a secret database URL without a host (floe validate)',
    spec: (w) => spec([sqlDestination(w)]),
    command: ['validate'],
    env: withDatabaseUrl(() => 'postgres:///db'),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].connection_secret_ref',
        "the connection secret's url has no host (postgres://host:port/database)",
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'a secret database URL with an unsupported scheme (floe validate)',
    spec: (w) => spec([sqlDestination(w)]),
    command: ['validate'],
    env: withDatabaseUrl(() => 'ftp://x/y'),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].connection_secret_ref',
        `the connection secret's url has an unsupported scheme "ftp" (expected postgres, postgresql, mysql, mariadb or sqlite)`,
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'a rest_api url with an unsupported scheme (floe validate)',
    spec: (w) => spec([restDestination(w, {}, { url: 'ftp://x/y' })]),
    command: ['validate'],
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].config.url',
        'must be an http:// or https:// URL with a host, e.g. https://api.example.com/v1/contacts',
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'a rest_api secret holding two credential methods (floe validate)',
    spec: (w) => spec([restDestination(w)]),
    command: ['validate'],
    env: (w) => ({ ...secretsEnv(w), FLOE_SECRET_CRM_API_API_KEY: `${TOKEN}-key` }),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].connection_secret_ref',
        'the secret must hold one of: token, username + password, api_key',
      ),
    ],
    effect: 'nothing',
  },
];
