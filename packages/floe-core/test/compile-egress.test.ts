import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  ConfigValidationError,
  compileEgress,
  compileEgressOrThrow,
  formatIssue,
  validateFloeSpec,
  validateManifest,
} from '../src/index.js';
import type { CompileEgressOptions, FloeSpec, PlatformManifest, SinkTypeDescriptor } from '../src/index.js';
import { destination, minimalManifest, minimalSpec } from './helpers.js';

function spec(destinations?: Record<string, unknown>[]): FloeSpec {
  const result = validateFloeSpec(minimalSpec(destinations ? { destinations } : {}));
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.value;
}

function manifest(extra: Record<string, unknown> = {}): PlatformManifest {
  const result = validateManifest(minimalManifest(extra));
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.value;
}

const restApi: SinkTypeDescriptor = {
  sinkType: 'rest_api',
  configSchema: z.strictObject({
    url: z.url(),
    write_disposition: z.enum(['append', 'merge']).optional(),
    timeout_ms: z.number().int().positive().default(10_000),
  }),
};
const sinks = [restApi, 'sql_database'];

function issuesOf(options: Partial<CompileEgressOptions> & { spec: FloeSpec }): string[] {
  const result = compileEgress({ availableSinks: sinks, ...options });
  if (result.ok) throw new Error('expected compileEgress to fail');
  return result.issues.map(formatIssue);
}

describe('compileEgress', () => {
  it('plans every destination with its defaults and parsed sink config', () => {
    const result = compileEgress({
      spec: spec([
        destination({
          config: { url: 'https://crm.example.com/contacts', write_disposition: 'merge' },
          field_mapping: { email_address: 'email' },
          primary_key: ['email_address'],
          batch_size: 100,
        }),
        destination({
          name: 'mirror',
          sink_type: 'sql_database',
          connection_secret_ref: 'pg',
          config: { table: 'contacts' },
        }),
      ]),
      manifest: manifest({ scope: 'enterprise', approved_sinks: ['rest_api', 'sql_database'] }),
      availableSinks: sinks,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([]);
    expect(result.plan.product).toEqual({ name: 'customer-360', version: '1.0.0' });
    expect(result.plan.specFile).toBe('floe.yaml');
    expect(result.plan.destinations).toEqual([
      {
        index: 0,
        name: 'crm',
        sinkType: 'rest_api',
        connectionSecretRef: 'crm-credentials',
        sourceTable: 'gold.customers',
        fieldMapping: { email_address: 'email' },
        batchSize: 100,
        disposition: 'merge',
        sync: {
          mode: 'upsert',
          changesOnly: true,
          onDelete: 'delete',
          maxDeleteFraction: 0.2,
          primaryKey: ['email_address'],
          from: 'write_disposition',
        },
        config: { url: 'https://crm.example.com/contacts', write_disposition: 'merge', timeout_ms: 10_000 },
      },
      {
        index: 1,
        name: 'mirror',
        sinkType: 'sql_database',
        connectionSecretRef: 'pg',
        sourceTable: 'gold.customers',
        fieldMapping: undefined,
        batchSize: undefined,
        disposition: 'append',
        sync: {
          mode: 'append',
          changesOnly: true,
          onDelete: 'delete',
          maxDeleteFraction: 0.2,
          primaryKey: [],
          from: 'default',
        },
        config: { table: 'contacts' },
      },
    ]);
    expect(Object.isFrozen(result.plan.destinations[0]!.config)).toBe(true);
  });

  it('rejects a sink type the manifest does not approve (FR-017)', () => {
    expect(
      issuesOf({
        spec: spec([destination({ sink_type: 'sql_database' })]),
        manifest: manifest({ scope: 'enterprise', approved_sinks: ['rest_api'] }),
      }),
    ).toEqual([
      'floe.yaml: destinations[0].sink_type: sink type "sql_database" is not approved by the platform manifest (approved_sinks: rest_api)',
    ]);
  });

  it('rejects every sink type when approved_sinks is empty', () => {
    expect(
      issuesOf({
        spec: spec([destination({ config: { url: 'https://x.test' } })]),
        manifest: manifest({ scope: 'enterprise', approved_sinks: [] }),
      }),
    ).toEqual([
      'floe.yaml: destinations[0].sink_type: sink type "rest_api" is not approved by the platform manifest (approved_sinks: none)',
    ]);
  });

  it('lets an approvedSinks option override the manifest', () => {
    const result = compileEgress({
      spec: spec([destination({ sink_type: 'sql_database' })]),
      manifest: manifest({ scope: 'enterprise', approved_sinks: ['rest_api'] }),
      approvedSinks: ['sql_database'],
      availableSinks: sinks,
    });
    expect(result.ok).toBe(true);
  });

  it('rejects a sink type no installed plugin offers, naming those available', () => {
    expect(issuesOf({ spec: spec([destination({ sink_type: 'salesforce' })]) })).toEqual([
      'floe.yaml: destinations[0].sink_type: no installed plugin offers sink type "salesforce" (available: rest_api, sql_database)',
    ]);
    expect(issuesOf({ spec: spec([destination({ sink_type: 'salesforce' })]), availableSinks: [] })).toEqual([
      'floe.yaml: destinations[0].sink_type: no installed plugin offers sink type "salesforce" (no installed plugin offers any sink type)',
    ]);
  });

  it('validates config with the sink type schema, at destinations[i].config.<path>', () => {
    expect(
      issuesOf({ spec: spec([destination({ config: { url: 'not a url', timeout_ms: -1, retries: 3 } })]) }),
    ).toEqual([
      'floe.yaml: destinations[0].config.url: must be a valid URL (got "not a url")',
      'floe.yaml: destinations[0].config.timeout_ms: must be > 0 (got -1)',
      'floe.yaml: destinations[0].config.retries: unknown key "retries" (allowed keys: url, write_disposition, timeout_ms)',
    ]);
  });

  it('validates an absent config block as {}', () => {
    expect(issuesOf({ spec: spec([destination()]) })).toEqual(['floe.yaml: destinations[0].config.url: is required']);
  });

  it('rejects an unknown write_disposition', () => {
    expect(
      issuesOf({ spec: spec([destination({ sink_type: 'sql_database', config: { write_disposition: 'upsert' } })]) }),
    ).toEqual([
      'floe.yaml: destinations[0].config.write_disposition: must be one of "append", "replace", "merge" (got "upsert")',
    ]);
  });

  it('requires a source table', () => {
    expect(issuesOf({ spec: spec([destination({ sink_type: 'sql_database', source_table: undefined })]) })).toEqual([
      'floe.yaml: destinations[0].source_table: is required to push this destination: name the Gold table to read, e.g. "gold.customers"',
    ]);
  });

  it('rejects a source table the resolver does not find, and reports resolver failures', () => {
    const d = [
      destination({ sink_type: 'sql_database', source_table: 'gold.missing' }),
      destination({ name: 'b', sink_type: 'sql_database', source_table: 'gold.broken' }),
    ];
    const resolveTable = (table: string): boolean => {
      if (table === 'gold.broken') throw new Error('catalog unreachable');
      return table === 'gold.customers';
    };
    expect(issuesOf({ spec: spec(d), resolveTable })).toEqual([
      'floe.yaml: destinations[0].source_table: table "gold.missing" was not found in the catalog',
      'floe.yaml: destinations[1].source_table: could not check table "gold.broken": catalog unreachable',
    ]);
    expect(
      compileEgress({ spec: spec([destination({ sink_type: 'sql_database' })]), availableSinks: sinks, resolveTable })
        .ok,
    ).toBe(true);
  });

  it('reports all errors at once, with the spec file name', () => {
    const result = compileEgress({
      spec: spec([
        destination({ sink_type: 'salesforce', source_table: undefined }),
        destination({ name: 'b', config: {} }),
      ]),
      manifest: manifest({ scope: 'enterprise', approved_sinks: ['rest_api'] }),
      availableSinks: sinks,
      specFile: 'apps/crm/floe.yaml',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => `${i.file} ${i.path}`)).toEqual([
      'apps/crm/floe.yaml destinations[0].sink_type',
      'apps/crm/floe.yaml destinations[0].sink_type',
      'apps/crm/floe.yaml destinations[0].source_table',
      'apps/crm/floe.yaml destinations[1].config.url',
    ]);
  });

  it('warns when there is nothing to push', () => {
    const result = compileEgress({ spec: spec(), availableSinks: sinks });
    expect(result).toMatchObject({ ok: true, plan: { destinations: [] } });
    expect(result.warnings.map(formatIssue)).toEqual([
      'floe.yaml: destinations: no destinations are declared: there is nothing to push',
    ]);
  });

  it('warns that a domain manifest cannot restrict sinks', () => {
    const result = compileEgress({
      spec: spec([destination({ sink_type: 'sql_database' })]),
      manifest: manifest({ scope: 'domain', parent_manifest: 'oci://x' }),
      availableSinks: sinks,
    });
    expect(result.ok).toBe(true);
    expect(result.warnings[0]?.message).toMatch(/domain-scoped/);
  });

  it('uses the first descriptor of a sink type', () => {
    const loose: SinkTypeDescriptor = { sinkType: 'rest_api' };
    const result = compileEgress({
      spec: spec([destination({ config: { anything: 1 } })]),
      availableSinks: [loose, restApi],
    });
    expect(result.ok).toBe(true);
  });
});

describe('compileEgressOrThrow', () => {
  it('returns the plan when valid', () => {
    expect(
      compileEgressOrThrow({ spec: spec([destination({ sink_type: 'sql_database' })]), availableSinks: sinks })
        .destinations,
    ).toHaveLength(1);
  });

  it('throws a ConfigValidationError listing every issue', () => {
    expect(() =>
      compileEgressOrThrow({ spec: spec([destination({ sink_type: 'x' })]), availableSinks: sinks }),
    ).toThrow(ConfigValidationError);
    expect(() =>
      compileEgressOrThrow({ spec: spec([destination({ sink_type: 'x' })]), availableSinks: sinks }),
    ).toThrow(
      'floe.yaml is invalid:\n  floe.yaml: destinations[0].sink_type: no installed plugin offers sink type "x"',
    );
  });
});

describe('compileEgress with a descriptor that declares capabilities and checks', () => {
  const appendOnly: SinkTypeDescriptor = {
    sinkType: 'append_only',
    capabilities: { dispositions: ['append'] },
    check: ({ config }) =>
      typeof config.file === 'string' && config.file.endsWith('.jsonl')
        ? []
        : [{ path: 'config.file', message: 'must name a .jsonl file' }],
  };
  const one = (config: Record<string, unknown>) => spec([{ ...destination(), sink_type: 'append_only', config }]);

  it('refuses a disposition the sink type does not declare, and reports its own check', () => {
    const issues = issuesOf({
      spec: one({ write_disposition: 'replace', file: 'x.csv' }),
      availableSinks: [appendOnly],
    });
    expect(issues).toEqual([
      expect.stringMatching(
        /destinations\[0\]\.config\.write_disposition: sink type "append_only" does not support "replace" \(it supports: append\)/,
      ),
      expect.stringMatching(/destinations\[0\]\.config\.file: must name a \.jsonl file/),
    ]);
  });

  it('passes when the disposition is declared and the check finds nothing', () => {
    expect(compileEgress({ spec: one({ file: 'out.jsonl' }), availableSinks: [appendOnly] }).ok).toBe(true);
  });
});
