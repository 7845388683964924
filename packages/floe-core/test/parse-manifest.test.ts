import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigValidationError, formatIssue, loadManifest, parseManifest, validateManifest } from '../src/index.js';
import type { ValidationResult } from '../src/index.js';
import { fixtureText, minimalManifest } from './helpers.js';

function errors<T>(result: ValidationResult<T>): string[] {
  if (result.ok) throw new Error('expected validation to fail');
  return result.issues.map(formatIssue);
}

const errorsOf = (document: unknown): string[] => errors(validateManifest(document));
const ENV_MESSAGE =
  'environment-specific configuration is not allowed: manifest.yaml is environment-agnostic (one manifest for every environment; the runtime environment selects behaviour)';

describe('parseManifest', () => {
  it('returns the typed manifest when the document is valid', () => {
    const result = parseManifest(fixtureText('manifest.yaml'));
    expect(result).toMatchObject({ ok: true, warnings: [] });
    if (!result.ok) return;
    expect(result.value.approved_sinks).toEqual(['rest_api', 'sql_database']);
    expect(result.value.plugins.catalog?.config).toEqual({ uri: 'http://polaris:8181/api/catalog', warehouse: 'demo' });
  });

  it('accepts a manifest without scope or approved_sinks (2-tier)', () => {
    const result = validateManifest(minimalManifest());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.approved_sinks).toBeUndefined();
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(errors(parseManifest('plugins: {compute: [\n', { file: 'm.yaml' }))[0]).toMatch(
      /^m\.yaml: line \d+, column \d+: YAML syntax error: /,
    );
  });

  it('rejects an empty document', () => {
    expect(errors(parseManifest(''))).toEqual([
      'manifest.yaml: must be a Manifest mapping with apiVersion, kind, metadata and plugins (got an empty document)',
    ]);
  });

  it('rejects a scalar document', () => {
    expect(errorsOf(42)).toEqual([
      'manifest.yaml: must be a Manifest mapping with apiVersion, kind, metadata and plugins (got 42)',
    ]);
  });
});

describe('validateManifest: schema', () => {
  it.each([
    [{ kind: 'FloeSpec' }, 'manifest.yaml: kind: must be "Manifest" (got "FloeSpec")'],
    [{ scope: 'team' }, 'manifest.yaml: scope: must be one of "enterprise", "domain" (got "team")'],
    [{ metadata: { name: 'acme', version: '1.0.0' } }, 'manifest.yaml: metadata.owner: is required'],
    [
      { metadata: { name: 'Acme', version: '1.0.0', owner: 'x' } },
      'manifest.yaml: metadata.name: must be lower-case letters, digits and "-", starting and ending with a letter or digit',
    ],
    [{ plugins: { compute: { type: ' ' } } }, 'manifest.yaml: plugins.compute.type: must not be empty'],
    [
      { plugins: { compute: { type: 'duckdb', version: 'latest' } } },
      'manifest.yaml: plugins.compute.version: must be a semantic version, e.g. "1.0.0"',
    ],
    [
      { plugins: { catalog: { type: 'polaris', connection_secret_ref: 'Polaris' } } },
      'manifest.yaml: plugins.catalog.connection_secret_ref: must be a Kubernetes Secret name: lower-case letters, digits and "-", starting and ending with a letter or digit (e.g. "crm-api-credentials")',
    ],
    [
      { plugins: { warehouse: { type: 'x' } } },
      'manifest.yaml: plugins.warehouse: unknown key "warehouse" (allowed keys: compute, orchestrator, catalog, storage, telemetry_backend, lineage_backend, dbt, semantic_layer, ingestion, secrets, identity)',
    ],
    [{ governance: { data_retention_days: 0 } }, 'manifest.yaml: governance.data_retention_days: must be ≥ 1 (got 0)'],
    [{ scope: 'enterprise', approved_sinks: ['rest_api', ''] }, 'manifest.yaml: approved_sinks[1]: must not be empty'],
    [{ plugins: undefined }, 'manifest.yaml: plugins: is required'],
  ])('rejects %j', (change, message) => {
    expect(errorsOf(minimalManifest(change))).toEqual([message]);
  });
});

describe('validateManifest: scope rules', () => {
  it.each([
    [
      { scope: 'enterprise', parent_manifest: 'oci://x' },
      'manifest.yaml: parent_manifest: is only allowed when scope is "domain" (scope is "enterprise"): only domain manifests inherit from a parent',
    ],
    [
      { parent_manifest: 'oci://x' },
      'manifest.yaml: parent_manifest: is only allowed when scope is "domain" (scope is not set): only domain manifests inherit from a parent',
    ],
    [
      { scope: 'domain' },
      'manifest.yaml: parent_manifest: is required when scope is "domain": name the enterprise manifest this domain inherits from',
    ],
    [
      { scope: 'domain', parent_manifest: 'oci://x', approved_plugins: { compute: ['duckdb'] } },
      'manifest.yaml: approved_plugins: is only allowed when scope is "enterprise" (scope is "domain")',
    ],
    [
      { scope: 'domain', parent_manifest: 'oci://x', approved_sinks: ['rest_api'] },
      'manifest.yaml: approved_sinks: is only allowed when scope is "enterprise" (scope is "domain")',
    ],
    [
      { approved_sinks: [] },
      'manifest.yaml: approved_sinks: is only allowed when scope is "enterprise" (scope is not set)',
    ],
    [
      { scope: 'enterprise', approved_products: ['crm'] },
      'manifest.yaml: approved_products: is only allowed when scope is "domain" (scope is "enterprise")',
    ],
  ])('rejects %j', (change, message) => {
    expect(errorsOf(minimalManifest(change))).toEqual([message]);
  });

  it('accepts a domain manifest with a parent and approved products', () => {
    expect(
      validateManifest(
        minimalManifest({ scope: 'domain', parent_manifest: 'oci://registry/acme:1', approved_products: ['crm'] }),
      ).ok,
    ).toBe(true);
  });

  it('accepts an enterprise manifest with approved plugins and sinks', () => {
    const result = validateManifest(
      minimalManifest({ scope: 'enterprise', approved_plugins: { compute: ['duckdb'] }, approved_sinks: [] }),
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.approved_sinks).toEqual([]);
  });
});

describe('validateManifest: unknown and environment keys', () => {
  it('warns about unknown top-level keys and drops them from the value', () => {
    const result = validateManifest(minimalManifest({ observability: { x: 1 } }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings.map(formatIssue)).toEqual([
      'manifest.yaml: observability: unknown key, ignored (known keys: $schema, apiVersion, kind, metadata, scope, parent_manifest, plugins, governance, approved_plugins, approved_sinks, approved_products, defaults, artifacts)',
    ]);
    expect(result.value).not.toHaveProperty('observability');
  });

  it.each(['prod', 'Environments', 'staging', 'dev', 'env', 'production', 'development'])(
    'rejects the top-level key %s',
    (key) => {
      const result = validateManifest(minimalManifest({ [key]: { plugins: {} } }));
      expect(errors(result)).toEqual([`manifest.yaml: ${key}: ${ENV_MESSAGE}`]);
      expect(result.warnings).toEqual([]);
    },
  );

  it('rejects environment keys inside plugins, a plugin selection, governance and defaults', () => {
    const manifest = minimalManifest({
      plugins: {
        compute: { type: 'duckdb', prod: { threads: 8 }, config: { env: 'kept: plugin-owned' } },
        staging: {},
      },
      governance: { production: {} },
      defaults: { dev: 'x' },
    });
    expect(errorsOf(manifest)).toEqual([
      `manifest.yaml: plugins.staging: ${ENV_MESSAGE}`,
      `manifest.yaml: governance.production: ${ENV_MESSAGE}`,
      `manifest.yaml: defaults.dev: ${ENV_MESSAGE}`,
      `manifest.yaml: plugins.compute.prod: ${ENV_MESSAGE}`,
    ]);
  });
});

describe('loadManifest', () => {
  it('returns the manifest of a valid file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floe-manifest-'));
    await writeFile(join(dir, 'manifest.yaml'), fixtureText('manifest.yaml'));
    await expect(loadManifest(join(dir, 'manifest.yaml'))).resolves.toMatchObject({ scope: 'enterprise' });
  });

  it('throws a ConfigValidationError naming file, path and problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floe-manifest-'));
    const file = join(dir, 'manifest.yaml');
    await writeFile(
      file,
      'apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: acme, version: 1.0.0, owner: x}\nplugins: {}\nscope: domain\n',
    );
    const error = await loadManifest(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).issues[0]).toMatchObject({
      file,
      path: 'parent_manifest',
      line: 1,
      column: 1,
    });
  });

  it('throws when the file cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'floe-manifest-'));
    const error = await loadManifest(dir).catch((e: unknown) => e);
    expect((error as ConfigValidationError).lines()[0]).toMatch(/cannot read the file \(EISDIR\)/);
  });
});
