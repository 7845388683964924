import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Text of a fixture under test/fixtures. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** A fixture parsed as a plain object, to be changed by a test. */
export function fixtureDocument(name: string): Record<string, unknown> {
  return parse(fixtureText(name)) as Record<string, unknown>;
}

/** A minimal valid floe.yaml document. */
export function minimalSpec(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'floe.dev/v1',
    kind: 'FloeSpec',
    metadata: { name: 'customer-360', version: '1.0.0' },
    transforms: [{ name: 'customers_gold' }],
    ...extra,
  };
}

/** A destination entry with the required keys. */
export function destination(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'crm',
    sink_type: 'rest_api',
    connection_secret_ref: 'crm-credentials',
    source_table: 'gold.customers',
    ...extra,
  };
}

/** A minimal valid manifest.yaml document. */
export function minimalManifest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'floe.dev/v1',
    kind: 'Manifest',
    metadata: { name: 'acme-platform', version: '1.0.0', owner: 'platform-team@acme.com' },
    plugins: { compute: { type: 'duckdb' } },
    ...extra,
  };
}
