import { z } from 'zod';
import { DestinationConfigSchema } from './destination-config.js';
import { strictObject } from './internal/strict-object.js';

/** `apiVersion` of floe.yaml and manifest.yaml. */
export const FLOE_API_VERSION = 'floe.dev/v1';

/** A data product name: DNS-compatible, starting with a letter. */
export const PRODUCT_NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

/** `MAJOR.MINOR.PATCH`, optionally with a pre-release or build suffix. */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** A dbt model, column or port name. */
export const MODEL_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const semver = z.string().regex(SEMVER_PATTERN, { error: 'must be a semantic version, e.g. "1.0.0"' });
const modelName = (what: string) =>
  z
    .string()
    .min(1)
    .max(128)
    .regex(MODEL_NAME_PATTERN, { error: `must be a ${what} name: letters, digits and "_", not starting with a digit` });

/** floe.yaml `metadata`. */
export const FloeMetadataSchema = strictObject({
  name: z.string().min(1).max(63).regex(PRODUCT_NAME_PATTERN, {
    error: 'must be lower-case letters, digits and "-", starting with a letter (e.g. "customer-360")',
  }),
  version: semver,
  description: z.string().max(500).optional(),
  owner: z.string().min(1).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

/** One transform (dbt model) of the data product. */
export const TransformSpecSchema = strictObject({
  name: modelName('dbt model'),
  compute: z.string().min(1).optional().meta({ description: 'Compute override; absent = platform default' }),
  tags: z.array(z.string()).optional(),
  dependsOn: z.array(z.string().min(1)).optional().meta({ description: 'Models this one depends on' }),
  tier: z.enum(['bronze', 'silver', 'gold']).optional(),
  qualityChecks: z.array(z.record(z.string(), z.unknown())).optional(),
});

/** When the data product runs. */
export const ScheduleSpecSchema = strictObject({
  cron: z.string().min(1).optional().meta({ description: 'Five-field cron expression or @daily/@hourly/…' }),
  timezone: z.string().min(1).default('UTC').meta({ description: 'IANA time zone' }),
  enabled: z.boolean().default(true),
});

/** One column of an output port. */
export const OutputPortColumnSchema = strictObject({
  name: modelName('column'),
  type: z.string().min(1),
  description: z.string().max(500).optional(),
  required: z.boolean().default(false),
  primaryKey: z.boolean().default(false),
  classification: z.string().min(1).optional(),
});

/** An output port, from which a data contract is generated. */
export const OutputPortSchema = strictObject({
  name: modelName('port'),
  description: z.string().max(500).optional(),
  owner: z.string().min(1).optional(),
  schema: z.array(OutputPortColumnSchema).min(1),
});

/** Where the governing platform manifest is (OCI URI or path). */
export const PlatformRefSchema = strictObject({
  manifest: z.string().min(1).meta({ description: 'OCI URI or path of the platform manifest.yaml' }),
});

/**
 * zod schema of `floe.yaml` (kind `FloeSpec`). Strict: unknown keys are errors. Cross-field rules
 * (unique names, dependency cycles, time zone, cron) and the credential-key check run in
 * `validateFloeSpec`, not in this schema.
 */
export const FloeSpecSchema = strictObject({
  $schema: z.string().optional().meta({ description: 'JSON Schema this file is written against (editor support)' }),
  apiVersion: z.literal(FLOE_API_VERSION),
  kind: z.literal('FloeSpec'),
  metadata: FloeMetadataSchema,
  platform: PlatformRefSchema.optional(),
  transforms: z.array(TransformSpecSchema).min(1),
  schedule: ScheduleSpecSchema.optional(),
  outputPorts: z.array(OutputPortSchema).optional(),
  destinations: z
    .array(DestinationConfigSchema)
    .optional()
    .meta({ description: 'Reverse-ETL destinations (optional: floe.yaml files without it stay valid)' }),
}).meta({ title: 'floe.yaml', description: 'A floe data product (FloeSpec)' });

/** A validated floe.yaml. */
export type FloeSpec = z.output<typeof FloeSpecSchema>;
/** floe.yaml `metadata`. */
export type FloeMetadata = z.output<typeof FloeMetadataSchema>;
/** One floe.yaml transform. */
export type TransformSpec = z.output<typeof TransformSpecSchema>;
/** floe.yaml `schedule`. */
export type ScheduleSpec = z.output<typeof ScheduleSpecSchema>;
/** One floe.yaml output port. */
export type OutputPort = z.output<typeof OutputPortSchema>;
