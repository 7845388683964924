import { z } from 'zod';
import { strictObject } from './internal/strict-object.js';
import { BATCH_SIZE_LIMITS, FIELD_NAME_PATTERN } from './sink-config.js';
import { SecretNameSchema } from './secret-reference.js';
import { SyncSettingsSchema } from './sync/sync-settings.js';

/** A destination name: letters, digits, `_` and `-`. */
export const DESTINATION_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Most keys a destination's sink-specific `config` block may hold. */
export const DESTINATION_CONFIG_MAX_KEYS = 50;

/**
 * zod schema of one `destinations[]` entry in floe.yaml (FR-011). `config` is sink-specific: it is
 * checked against the sink type's own schema by `compileEgress`, not here.
 */
export const DestinationConfigSchema = strictObject({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(DESTINATION_NAME_PATTERN, { error: 'must use only letters, digits, "_" and "-" (e.g. "crm-contacts")' })
    .meta({ description: 'Unique name of the destination within this floe.yaml' }),
  sink_type: z
    .string()
    .min(1)
    .meta({ description: 'Sink type offered by an installed plugin, e.g. rest_api or sql_database' }),
  connection_secret_ref: SecretNameSchema,
  source_table: z.string().min(1).optional().meta({ description: 'Iceberg Gold table to read, e.g. gold.customers' }),
  config: z
    .record(z.string(), z.unknown())
    .refine((config) => Object.keys(config).length <= DESTINATION_CONFIG_MAX_KEYS, {
      error: `must hold at most ${DESTINATION_CONFIG_MAX_KEYS} keys`,
    })
    .optional()
    .meta({
      description: "Sink-specific settings, validated by the sink type's own schema (no credentials)",
      maxProperties: DESTINATION_CONFIG_MAX_KEYS,
    }),
  field_mapping: z
    .record(
      z.string().min(1),
      z.string().regex(FIELD_NAME_PATTERN, {
        error: 'must be a field name: letters, digits and "_", not starting with a digit',
      }),
    )
    .optional()
    .meta({ description: 'Source column → destination field name (FR-014)' }),
  primary_key: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .meta({ description: "The record's identity: source column names (before field_mapping), e.g. [customer_id]" }),
  sync: SyncSettingsSchema.optional(),
  batch_size: z
    .number()
    .int()
    .min(BATCH_SIZE_LIMITS.min)
    .max(BATCH_SIZE_LIMITS.max)
    .optional()
    .meta({ description: 'Rows per request/statement; absent = all rows at once' }),
}).meta({ description: 'A reverse-ETL destination: where a Gold table is pushed' });

/** One validated `destinations[]` entry of floe.yaml. */
export type DestinationConfig = z.output<typeof DestinationConfigSchema>;
