import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import { ConfigValidationError, formatIssue, loadFloeSpec, parseFloeSpec, validateFloeSpec } from '../src/index.js';
import type { ValidationResult } from '../src/index.js';
import { destination, fixtureText, minimalSpec } from './helpers.js';

function errors<T>(result: ValidationResult<T>): string[] {
  if (result.ok) throw new Error('expected validation to fail');
  return result.issues.map(formatIssue);
}

function errorsOf(document: unknown): string[] {
  return errors(validateFloeSpec(document));
}

describe('parseFloeSpec', () => {
  it('returns the typed spec with defaults when the document is valid', () => {
    const result = parseFloeSpec(fixtureText('floe.yaml'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.metadata.name).toBe('customer-360');
    expect(result.value.schedule).toEqual({ cron: '0 6 * * *', timezone: 'UTC', enabled: true });
    expect(result.value.destinations?.map((d) => d.name)).toEqual(['crm-contacts', 'warehouse-mirror']);
    expect(result.warnings).toEqual([]);
    expect(Object.isFrozen(result.value.destinations)).toBe(true);
  });

  it('accepts a floe.yaml without destinations (FR-012)', () => {
    const result = validateFloeSpec(minimalSpec());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.destinations).toBeUndefined();
  });

  it('reports YAML syntax errors with file, line and column', () => {
    const result = parseFloeSpec('apiVersion: floe.dev/v1\ntransforms: [a,\nkind: x\n', { file: 'app/floe.yaml' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ file: 'app/floe.yaml', path: '', line: 3, column: 1 });
    expect(formatIssue(result.issues[0]!)).toMatch(/^app\/floe\.yaml: line 3, column 1: YAML syntax error: /);
  });

  it('reports the first YAML syntax error, not the errors that follow from it, and every duplicate key', () => {
    const text = 'destinations:\n\t- name: crm\n    sink_type: rest_api\nkind: FloeSpec\nkind: FloeSpec\n';
    expect(errors(parseFloeSpec(text))).toEqual([
      expect.stringMatching(
        /^floe\.yaml: line 2, column 1: YAML syntax error: Tabs are not allowed as indentation \(and \d+ more syntax errors after it, likely caused by it\)$/,
      ),
      'floe.yaml: line 5, column 1: YAML syntax error: Map keys must be unique',
    ]);
  });

  it('reports duplicate YAML keys', () => {
    expect(errors(parseFloeSpec('kind: FloeSpec\nkind: FloeSpec\n'))[0]).toMatch(
      /line 2, column 1: YAML syntax error: Map keys must be unique/,
    );
  });

  it('reports unresolved aliases', () => {
    expect(errors(parseFloeSpec('a: *missing\n'))[0]).toMatch(/^floe\.yaml: YAML/);
  });

  it('gives each schema issue its line', () => {
    const text = stringify(minimalSpec({ destinations: [destination({ batch_size: 0 })] }));
    const result = parseFloeSpec(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issue = result.issues.find((i) => i.path === 'destinations[0].batch_size');
    expect(issue?.line).toBe(text.split('\n').findIndex((line) => line.includes('batch_size')) + 1);
  });

  it('rejects an empty document', () => {
    expect(errors(parseFloeSpec(''))).toEqual([
      'floe.yaml: must be a FloeSpec mapping with apiVersion, kind, metadata and transforms (got an empty document)',
    ]);
  });

  it('rejects a document that is not a mapping', () => {
    expect(errorsOf(['a'])).toEqual([
      'floe.yaml: must be a FloeSpec mapping with apiVersion, kind, metadata and transforms (got a list)',
    ]);
  });
});

describe('validateFloeSpec: schema', () => {
  it.each([
    [{ apiVersion: 'floe.dev/v2' }, 'floe.yaml: apiVersion: must be "floe.dev/v1" (got "floe.dev/v2")'],
    [{ kind: 'Manifest' }, 'floe.yaml: kind: must be "FloeSpec" (got "Manifest")'],
    [
      { metadata: { name: 'Customer', version: '1.0.0' } },
      'floe.yaml: metadata.name: must be lower-case letters, digits and "-", starting with a letter (e.g. "customer-360")',
    ],
    [
      { metadata: { name: `a${'b'.repeat(63)}`, version: '1.0.0' } },
      'floe.yaml: metadata.name: must be at most 63 characters',
    ],
    [
      { metadata: { name: 'c', version: '1.0' } },
      'floe.yaml: metadata.version: must be a semantic version, e.g. "1.0.0"',
    ],
    [
      { metadata: { name: 'c', version: 1 } },
      'floe.yaml: metadata.version: must be a string (got 1; quote the value in YAML)',
    ],
    [{ metadata: { version: '1.0.0' } }, 'floe.yaml: metadata.name: is required'],
    [{ transforms: [] }, 'floe.yaml: transforms: must list at least 1 item'],
    [{ transforms: 'x' }, 'floe.yaml: transforms: must be a list (got "x")'],
    [
      { transforms: [{ name: '1bad' }] },
      'floe.yaml: transforms[0].name: must be a dbt model name: letters, digits and "_", not starting with a digit',
    ],
    [
      { transforms: [{ name: 'a', tier: 'platinum' }] },
      'floe.yaml: transforms[0].tier: must be one of "bronze", "silver", "gold" (got "platinum")',
    ],
    [{ schedule: { enabled: 'yes' } }, 'floe.yaml: schedule.enabled: must be true or false (got "yes")'],
    [{ platform: {} }, 'floe.yaml: platform.manifest: is required'],
    [
      { outputPorts: [{ name: 'customers', schema: [] }] },
      'floe.yaml: outputPorts[0].schema: must list at least 1 item',
    ],
  ])('rejects %j', (change, message) => {
    expect(errorsOf(minimalSpec(change))).toEqual([message]);
  });

  it('names an unknown key and the allowed ones', () => {
    expect(errorsOf(minimalSpec({ transfroms: [] }))).toEqual([
      'floe.yaml: transfroms: unknown key "transfroms" (allowed keys: $schema, apiVersion, kind, metadata, platform, transforms, schedule, outputPorts, destinations)',
    ]);
  });

  it('reports every issue at once', () => {
    expect(errorsOf({ apiVersion: 'floe.dev/v1', kind: 'FloeSpec' })).toEqual([
      'floe.yaml: metadata: is required',
      'floe.yaml: transforms: is required',
    ]);
  });

  it('accepts output ports, whose column list is named schema', () => {
    const port = { name: 'customers', schema: [{ name: 'customer_id', type: 'string', primaryKey: true }] };
    const result = validateFloeSpec(minimalSpec({ outputPorts: [port] }));
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.value.outputPorts?.[0]?.schema[0]).toMatchObject({ required: false, primaryKey: true });
  });
});

describe('validateFloeSpec: destinations', () => {
  const check = (d: Record<string, unknown>) => errorsOf(minimalSpec({ destinations: [d] }));

  it.each([
    [{ name: '' }, 'floe.yaml: destinations[0].name: must not be empty'],
    [{ name: 'a'.repeat(101) }, 'floe.yaml: destinations[0].name: must be at most 100 characters'],
    [
      { name: 'crm contacts' },
      'floe.yaml: destinations[0].name: must use only letters, digits, "_" and "-" (e.g. "crm-contacts")',
    ],
    [{ sink_type: '' }, 'floe.yaml: destinations[0].sink_type: must not be empty'],
    [
      { connection_secret_ref: 'CRM_Secret' },
      'floe.yaml: destinations[0].connection_secret_ref: must be a Kubernetes Secret name: lower-case letters, digits and "-", starting and ending with a letter or digit (e.g. "crm-api-credentials")',
    ],
    [
      { connection_secret_ref: 'crm-' },
      'floe.yaml: destinations[0].connection_secret_ref: must be a Kubernetes Secret name: lower-case letters, digits and "-", starting and ending with a letter or digit (e.g. "crm-api-credentials")',
    ],
    [
      { connection_secret_ref: 'a'.repeat(254) },
      'floe.yaml: destinations[0].connection_secret_ref: must be at most 253 characters',
    ],
    [{ batch_size: 0 }, 'floe.yaml: destinations[0].batch_size: must be ≥ 1 (got 0)'],
    [{ batch_size: 100_001 }, 'floe.yaml: destinations[0].batch_size: must be ≤ 100000 (got 100001)'],
    [{ batch_size: 1.5 }, 'floe.yaml: destinations[0].batch_size: must be a whole number (got 1.5)'],
    [
      { field_mapping: { email_address: 'e-mail' } },
      'floe.yaml: destinations[0].field_mapping.email_address: must be a field name: letters, digits and "_", not starting with a digit',
    ],
    [
      { config: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
      'floe.yaml: destinations[0].config: must hold at most 50 keys',
    ],
  ])('rejects %j', (change, message) => {
    expect(check(destination(change))).toEqual([message]);
  });

  it('requires name, sink_type and connection_secret_ref', () => {
    expect(check({})).toEqual([
      'floe.yaml: destinations[0].name: is required',
      'floe.yaml: destinations[0].sink_type: is required',
      'floe.yaml: destinations[0].connection_secret_ref: is required',
    ]);
  });

  it('accepts the limits of batch_size', () => {
    expect(
      validateFloeSpec(
        minimalSpec({
          destinations: [destination({ batch_size: 1 }), destination({ name: 'b', batch_size: 100_000 })],
        }),
      ).ok,
    ).toBe(true);
  });

  it('rejects duplicate destination names', () => {
    expect(errorsOf(minimalSpec({ destinations: [destination(), destination()] }))).toEqual([
      'floe.yaml: destinations[1].name: "crm" is already used by destinations[0]; names must be unique',
    ]);
  });

  it('rejects two columns mapped to one field', () => {
    expect(check(destination({ field_mapping: { a: 'x', b: 'x' } }))).toEqual([
      'floe.yaml: destinations[0].field_mapping.b: maps to "x", which "a" already maps to; each destination field takes one column',
    ]);
  });
});

describe('validateFloeSpec: credentials (FR-018)', () => {
  it('names every credential key, at any depth and in any case', () => {
    const spec = minimalSpec({
      destinations: [destination({ config: { Password: 'x', nested: [{ api_key: 'k' }] } })],
    });
    expect(errorsOf(spec)).toEqual([
      'floe.yaml: destinations[0].config.Password: "Password" is a credential or connection key and must not be written in floe.yaml: put it in a Kubernetes Secret and reference that Secret with destinations[0].connection_secret_ref',
      'floe.yaml: destinations[0].config.nested[0].api_key: "api_key" is a credential or connection key and must not be written in floe.yaml: put it in a Kubernetes Secret and reference that Secret with destinations[0].connection_secret_ref',
    ]);
  });

  it('reports a credential key once, not also as an unknown key', () => {
    expect(errorsOf(minimalSpec({ destinations: [destination({ token: 'abc' })] }))).toEqual([
      expect.stringMatching(/^floe\.yaml: destinations\[0\]\.token: "token" is a credential or connection key/),
    ]);
  });

  it('points outside destinations to the platform manifest', () => {
    expect(errorsOf(minimalSpec({ host: 'db.internal' }))).toEqual([
      'floe.yaml: host: "host" is a credential or connection key and must not be written in floe.yaml: floe.yaml is environment-agnostic; connection details belong in the platform manifest and credentials in a Kubernetes Secret referenced by connection_secret_ref',
    ]);
  });
});

describe('validateFloeSpec: cross-field rules', () => {
  it('rejects duplicate transform names', () => {
    expect(errorsOf(minimalSpec({ transforms: [{ name: 'a' }, { name: 'a' }] }))).toEqual([
      'floe.yaml: transforms[1].name: "a" is already used by transforms[0]; names must be unique',
    ]);
  });

  it('rejects duplicate output port names', () => {
    const port = { name: 'p', schema: [{ name: 'id', type: 'string' }] };
    expect(errorsOf(minimalSpec({ outputPorts: [port, port] }))).toEqual([
      'floe.yaml: outputPorts[1].name: "p" is already used by outputPorts[0]; names must be unique',
    ]);
  });

  it('rejects a transform that depends on itself', () => {
    expect(errorsOf(minimalSpec({ transforms: [{ name: 'a', dependsOn: ['raw', 'a'] }] }))).toEqual([
      'floe.yaml: transforms[0].dependsOn[1]: a transform cannot depend on itself',
    ]);
  });

  it('rejects a dependency cycle and allows external dependencies', () => {
    const transforms = [
      { name: 'a', dependsOn: ['b', 'raw_orders'] },
      { name: 'b', dependsOn: ['c'] },
      { name: 'c', dependsOn: ['a'] },
      { name: 'd', dependsOn: ['a'] },
    ];
    expect(errorsOf(minimalSpec({ transforms }))).toEqual([
      'floe.yaml: transforms[0].dependsOn: dependency cycle: a → b → c → a',
      'floe.yaml: transforms[1].dependsOn: dependency cycle: b → c → a → b',
      'floe.yaml: transforms[2].dependsOn: dependency cycle: c → a → b → c',
    ]);
  });

  it('rejects an unknown time zone', () => {
    expect(errorsOf(minimalSpec({ schedule: { timezone: 'Mars/Olympus' } }))).toEqual([
      'floe.yaml: schedule.timezone: "Mars/Olympus" is not an IANA time zone (e.g. "UTC", "Europe/Berlin")',
    ]);
  });

  it('rejects a bad cron expression', () => {
    expect(errorsOf(minimalSpec({ schedule: { cron: '0 6 * *' } }))).toEqual([
      'floe.yaml: schedule.cron: must have 5 fields (minute hour day-of-month month day-of-week) or be a macro such as @daily; got 4',
    ]);
  });

  it('accepts a valid time zone and cron', () => {
    expect(
      validateFloeSpec(minimalSpec({ schedule: { cron: '*/15 6-18 * JAN-MAR MON-FRI', timezone: 'Europe/Berlin' } }))
        .ok,
    ).toBe(true);
  });
});

describe('loadFloeSpec', () => {
  it('returns the spec of a valid file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floe-spec-'));
    const file = join(dir, 'floe.yaml');
    await writeFile(file, fixtureText('floe.yaml'));
    await expect(loadFloeSpec(file)).resolves.toMatchObject({ kind: 'FloeSpec' });
  });

  it('throws a ConfigValidationError naming file, path and problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floe-spec-'));
    const file = join(dir, 'floe.yaml');
    await writeFile(
      file,
      stringify(minimalSpec({ destinations: [destination(), destination({ name: 'b', batch_size: 0 })] })),
    );
    const error = await loadFloeSpec(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).lines()).toEqual([
      `${file}: destinations[1].batch_size: must be ≥ 1 (got 0)`,
    ]);
    expect((error as Error).message).toContain('floe.yaml is invalid');
  });

  it('throws a ConfigValidationError when the file is missing', async () => {
    const error = await loadFloeSpec('/nonexistent/floe.yaml').catch((e: unknown) => e);
    expect((error as ConfigValidationError).lines()).toEqual(['/nonexistent/floe.yaml: file not found']);
  });
});
