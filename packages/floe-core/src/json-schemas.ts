import { z } from 'zod';
import { FloeSpecSchema } from './floe-spec.js';
import { PlatformManifestSchema } from './platform-manifest.js';

/** A JSON Schema document. */
export type JsonSchema = Record<string, unknown>;

const toJson = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/**
 * The JSON Schema of floe.yaml (draft 2020-12), as shipped in `@floe/core/schemas/floe-spec.schema.json`.
 * Point editors at it with `# yaml-language-server: $schema=./node_modules/@floe/core/schemas/floe-spec.schema.json`.
 */
export function floeSpecJsonSchema(): JsonSchema {
  return toJson(FloeSpecSchema);
}

/** The JSON Schema of manifest.yaml, as shipped in `@floe/core/schemas/manifest.schema.json`. */
export function manifestJsonSchema(): JsonSchema {
  return toJson(PlatformManifestSchema);
}
