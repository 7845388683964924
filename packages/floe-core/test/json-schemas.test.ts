import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { floeSpecJsonSchema, manifestJsonSchema } from '../src/index.js';

const shipped = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../schemas/${name}`, import.meta.url), 'utf8'));

type Schema = {
  properties: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: unknown;
};

describe('floeSpecJsonSchema', () => {
  it('equals the shipped schemas/floe-spec.schema.json (run the build when it differs)', () => {
    expect(shipped('floe-spec.schema.json')).toEqual(floeSpecJsonSchema());
  });

  it('has optional destinations whose entries reject unknown keys', () => {
    const schema = floeSpecJsonSchema() as unknown as Schema;
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'transforms']);
    const entry = schema.properties.destinations!.items!;
    expect(entry.required).toEqual(['name', 'sink_type', 'connection_secret_ref']);
    expect(entry.additionalProperties).toBe(false);
    expect(entry.properties.connection_secret_ref).toMatchObject({
      maxLength: 253,
      pattern: '^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$',
    });
    expect(entry.properties.batch_size).toMatchObject({ minimum: 1, maximum: 100000 });
    expect(entry.properties.config).toMatchObject({ maxProperties: 50 });
  });

  it('marks defaulted fields optional', () => {
    const schedule = (floeSpecJsonSchema() as unknown as Schema).properties.schedule!;
    expect(schedule.required).toBeUndefined();
    expect(schedule.properties.timezone).toMatchObject({ default: 'UTC' });
  });
});

describe('manifestJsonSchema', () => {
  it('equals the shipped schemas/manifest.schema.json (run the build when it differs)', () => {
    expect(shipped('manifest.schema.json')).toEqual(manifestJsonSchema());
  });

  it('has optional approved_sinks and allows unknown top-level keys', () => {
    const schema = manifestJsonSchema() as unknown as Schema;
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'plugins']);
    expect(schema.properties.approved_sinks).toMatchObject({ type: 'array' });
    expect(schema.additionalProperties).toBeUndefined();
  });
});
