import { stringify } from 'yaml';
import { manifestYaml } from '../e2e/helpers.js';
import { restDestination, spec, sqlDestination, type BadInputCase, type CaseWorld } from './corpus.js';

/** A valid destination beside the bad one: nothing may be written to it either. */
const withGood = (world: CaseWorld, bad: Record<string, unknown>): Record<string, unknown>[] => [
  bad,
  sqlDestination(world),
];

/** `<floe.yaml path>: <path>: <message>` as printed. */
const at = (world: CaseWorld, path: string, message: string): string => `${world.spec}: ${path}: ${message}`;

const CREDENTIAL_FIX = 'must not be written in floe.yaml: put it in a Kubernetes Secret and reference that Secret with';

/**
 * floe.yaml and manifest.yaml mistakes: each stops the run before anything is written, with exit 3 and a
 * `file: path: message` line that says what to do.
 */
export const CONFIG_CASES: readonly BadInputCase[] = [
  {
    name: 'a YAML syntax error: a tab used as indentation',
    spec: (w) => spec(withGood(w, restDestination(w))).replace('  - name: crm', '\t- name: crm'),
    exit: 3,
    stderr: (w) => [
      new RegExp(
        `^${escape(w.spec)}: line 11, column 1: YAML syntax error: Tabs are not allowed as indentation \\(and \\d+ more syntax errors after it, likely caused by it\\)\\nnothing was written\\n$`,
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'a YAML syntax error: an unclosed flow mapping',
    spec: (w) => `${spec(withGood(w, restDestination(w)))}extra: { url: "x"\n`,
    exit: 3,
    stderr: (w) => [new RegExp(`^${escape(w.spec)}: line \\d+, column \\d+: YAML syntax error: `, 'm')],
    effect: 'nothing',
  },
  {
    name: 'an unknown top-level key',
    spec: (w) => spec(withGood(w, restDestination(w)), { destination: [] }),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destination',
        'unknown key "destination" (allowed keys: $schema, apiVersion, kind, metadata, platform, transforms, schedule, outputPorts, destinations)',
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'an unknown key in a destination',
    spec: (w) => spec(withGood(w, restDestination(w, { batchsize: 10 }))),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].batchsize',
        'unknown key "batchsize" (allowed keys: name, sink_type, connection_secret_ref, source_table, config, field_mapping, primary_key, sync, batch_size)',
      ),
    ],
    effect: 'nothing',
  },
  {
    name: "an unknown key in a sink's config",
    spec: (w) => spec(withGood(w, restDestination(w, {}, { methd: 'PUT' }))),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].config.methd',
        'unknown key "methd" (allowed keys: url, base_url, path, method, headers, body, wrap_key, split_on_reject,',
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'batch_size written as a string',
    spec: (w) => spec(withGood(w, restDestination(w, { batch_size: '100' }))),
    exit: 3,
    stderr: (w) => [at(w, 'destinations[0].batch_size', 'must be a number (got "100"; remove the quotes in YAML)')],
    effect: 'nothing',
  },
  {
    name: 'destinations written as a mapping, not a list',
    spec: (w) => spec([], { destinations: sqlDestination(w) }),
    exit: 3,
    stderr: (w) => [at(w, 'destinations', 'must be a list (got a mapping)')],
    effect: 'nothing',
  },
  {
    name: 'batch_size 0',
    spec: (w) => spec(withGood(w, restDestination(w, { batch_size: 0 }))),
    exit: 3,
    stderr: (w) => [at(w, 'destinations[0].batch_size', 'must be ≥ 1 (got 0)')],
    effect: 'nothing',
  },
  {
    name: 'batch_size beyond the limit (100001)',
    spec: (w) => spec(withGood(w, restDestination(w, { batch_size: 100_001 }))),
    exit: 3,
    stderr: (w) => [at(w, 'destinations[0].batch_size', 'must be ≤ 100000 (got 100001)')],
    effect: 'nothing',
  },
  {
    name: 'a password in a sink config',
    spec: (w) => spec(withGood(w, restDestination(w, {}, { password: 'inline-Pw-1' }))),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].config.password',
        `"password" is a credential or connection key and ${CREDENTIAL_FIX} destinations[0].connection_secret_ref`,
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'a token nested deep in a sink config',
    spec: (w) =>
      spec(withGood(w, restDestination(w, {}, { retry: { policy: { steps: [{ auth: { token: 'inline-tok' } }] } } }))),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].config.retry.policy.steps[0].auth.token',
        `"token" is a credential or connection key and ${CREDENTIAL_FIX} destinations[0].connection_secret_ref`,
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'an api_key in metadata.labels',
    spec: (w) =>
      spec(withGood(w, restDestination(w)), {
        metadata: { name: 'e2e', version: '1.0.0', labels: { api_key: 'inline-key' } },
      }),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'metadata.labels.api_key',
        '"api_key" is a credential or connection key and must not be written in floe.yaml: floe.yaml is environment-agnostic; connection details belong in the platform manifest and credentials in a Kubernetes Secret referenced by connection_secret_ref',
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'a host in a sink config',
    spec: (w) => spec(withGood(w, sqlDestination(w, { name: 'other' }, { host: 'db.internal' }))),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].config.host',
        `"host" is a credential or connection key and ${CREDENTIAL_FIX} destinations[0].connection_secret_ref`,
      ),
    ],
    effect: 'nothing',
  },
  ...(
    [
      [
        'upper case',
        'CRM-API',
        'must be a Kubernetes Secret name: lower-case letters, digits and "-", starting and ending with a letter or digit (e.g. "crm-api-credentials")',
      ],
      [
        'an underscore',
        'crm_api',
        'must be a Kubernetes Secret name: lower-case letters, digits and "-", starting and ending with a letter or digit (e.g. "crm-api-credentials")',
      ],
      ['254 characters', 'a'.repeat(254), 'must be at most 253 characters'],
    ] as const
  ).map(([what, name, message]): BadInputCase => ({
    name: `a secret name with ${what}`,
    spec: (w) => spec(withGood(w, restDestination(w, { connection_secret_ref: name }))),
    exit: 3,
    stderr: (w) => [at(w, 'destinations[0].connection_secret_ref', message)],
    effect: 'nothing',
  })),
  {
    name: 'a sink type the manifest does not approve',
    spec: (w) => spec([restDestination(w), sqlDestination(w)]),
    manifest: () => manifestYaml(['rest_api']),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[1].sink_type',
        'sink type "sql_database" is not approved by the platform manifest (approved_sinks: rest_api)',
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'a sink type no installed plugin offers',
    spec: (w) => spec(withGood(w, { ...restDestination(w), sink_type: 'webhook', config: { url: w.url } })),
    manifest: () => manifestYaml(['webhook', 'sql_database', 'rest_api']),
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].sink_type',
        'no installed plugin offers sink type "webhook" (available: rest_api, sql_database)',
      ),
    ],
    effect: 'nothing',
  },
  {
    name: 'a domain manifest that lists approved_sinks',
    spec: (w) => spec(withGood(w, restDestination(w))),
    manifest: () =>
      stringify({
        apiVersion: 'floe.dev/v1',
        kind: 'Manifest',
        metadata: { name: 'sales', version: '1.0.0', owner: 'tests' },
        scope: 'domain',
        parent_manifest: 'oci://registry.example.com/manifests/platform:1.0.0',
        plugins: {},
        approved_sinks: ['rest_api'],
      }),
    exit: 3,
    stderr: (w) => [
      `${w.dir}/manifest.yaml: approved_sinks: is only allowed when scope is "enterprise" (scope is "domain")`,
    ],
    effect: 'nothing',
  },
  {
    name: 'an environment-override key in the manifest',
    spec: (w) => spec(withGood(w, restDestination(w))),
    manifest: () => `${manifestYaml()}environments:\n  prod: { approved_sinks: [rest_api] }\n`,
    exit: 3,
    stderr: (w) => [
      `${w.dir}/manifest.yaml: environments: environment-specific configuration is not allowed: manifest.yaml is environment-agnostic`,
    ],
    effect: 'nothing',
  },
  {
    name: 'a missing manifest file',
    spec: (w) => spec(withGood(w, restDestination(w))),
    manifest: null,
    exit: 3,
    stderr: (w) => [`${w.dir}/manifest.yaml: file not found (named by platform.manifest)`],
    effect: 'nothing',
  },
  {
    name: 'two destinations with the same name',
    spec: (w) => spec([sqlDestination(w), restDestination(w, { name: 'warehouse' })]),
    exit: 3,
    stderr: (w) => [
      at(w, 'destinations[1].name', '"warehouse" is already used by destinations[0]; names must be unique'),
    ],
    effect: 'nothing',
  },
  {
    name: 'split_on_reject with body: record (floe validate)',
    spec: (w) => spec(withGood(w, restDestination(w, {}, { body: 'record', split_on_reject: true }))),
    command: ['validate'],
    exit: 3,
    stderr: (w) => [
      at(
        w,
        'destinations[0].config.split_on_reject',
        'only with body: array or wrapped (a record request holds one row)',
      ),
    ],
    effect: 'nothing',
  },
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
