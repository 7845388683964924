import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { loadFloeSpec, loadManifest, parseFloeSpec, parseManifest } from '@floe/core';

const require = createRequire(import.meta.url);
const shippedSchema = (name: string) =>
  JSON.parse(readFileSync(require.resolve(`@floe/core/schemas/${name}`), 'utf8')) as {
    required: string[];
    properties: Record<string, { type?: string; items?: { required?: string[] } }>;
  };
const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);

describe('floe.yaml JSON Schema (@floe/core/schemas/floe-spec.schema.json)', () => {
  const schema = shippedSchema('floe-spec.schema.json');

  it('keeps destinations optional (FR-012)', () => {
    expect(schema.properties.destinations?.type).toBe('array');
    expect(schema.required).not.toContain('destinations');
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'transforms']);
  });

  it('requires name, sink_type and connection_secret_ref of a destination', () => {
    expect(schema.properties.destinations?.items?.required).toEqual(['name', 'sink_type', 'connection_secret_ref']);
  });
});

describe('manifest.yaml JSON Schema (@floe/core/schemas/manifest.schema.json)', () => {
  const schema = shippedSchema('manifest.schema.json');

  it('keeps approved_sinks optional', () => {
    expect(schema.properties.approved_sinks?.type).toBe('array');
    expect(schema.required).not.toContain('approved_sinks');
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'plugins']);
  });
});

describe('existing configuration files (SC-004)', () => {
  it.each(['floe.yaml', 'floe-minimal.yaml'])('%s validates unchanged, without destinations', async (name) => {
    const result = parseFloeSpec(readFileSync(fixture(name), 'utf8'), { file: name });
    expect(result).toMatchObject({ ok: true, warnings: [] });
    const spec = await loadFloeSpec(fixture(name).pathname);
    expect(spec.destinations).toBeUndefined();
  });

  it.each(['manifest.yaml', 'domain-manifest.yaml'])('%s validates unchanged, without approved_sinks', async (name) => {
    const result = parseManifest(readFileSync(fixture(name), 'utf8'), { file: name });
    expect(result).toMatchObject({ ok: true, warnings: [] });
    const manifest = await loadManifest(fixture(name).pathname);
    expect(manifest.approved_sinks).toBeUndefined();
  });
});
