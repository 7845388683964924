import { z } from 'zod';
import { FLOE_API_VERSION, SEMVER_PATTERN } from './floe-spec.js';
import { strictObject } from './internal/strict-object.js';
import { SECRET_NAME_PATTERN, SecretNameSchema } from './secret-reference.js';

const semver = z.string().regex(SEMVER_PATTERN, { error: 'must be a semantic version, e.g. "1.0.0"' });

/** manifest.yaml `metadata`. */
export const ManifestMetadataSchema = strictObject({
  name: z.string().min(1).max(63).regex(SECRET_NAME_PATTERN, {
    error: 'must be lower-case letters, digits and "-", starting and ending with a letter or digit',
  }),
  version: semver,
  owner: z.string().min(1),
  description: z.string().max(500).optional(),
});

/** The plugin chosen for one platform capability. */
export const PluginSelectionSchema = strictObject({
  type: z.string().trim().min(1).meta({ description: 'Plugin name, e.g. polaris, duckdb, dlt' }),
  version: semver.optional(),
  config: z.record(z.string(), z.unknown()).optional().meta({ description: 'Plugin-specific settings' }),
  connection_secret_ref: SecretNameSchema.optional(),
});

const selection = PluginSelectionSchema.optional();

/** One plugin selection per capability (the {@link PluginType} values). */
export const PluginsConfigSchema = strictObject({
  compute: selection,
  orchestrator: selection,
  catalog: selection,
  storage: selection,
  telemetry_backend: selection,
  lineage_backend: selection,
  dbt: selection,
  semantic_layer: selection,
  ingestion: selection,
  secrets: selection,
  identity: selection,
});

const approvedList = z.array(z.string().min(1)).optional();

/** Enterprise whitelist of plugin types per category. */
export const ApprovedPluginsSchema = strictObject({
  compute: approvedList,
  orchestrator: approvedList,
  catalog: approvedList,
  storage: approvedList,
  telemetry_backend: approvedList,
  lineage_backend: approvedList,
  dbt: approvedList,
  semantic_layer: approvedList,
  ingestion: approvedList,
  secrets: approvedList,
  identity: approvedList,
});

/** Security and compliance settings. The four policy fields are typed; richer sections pass through. */
export const GovernanceConfigSchema = strictObject({
  pii_encryption: z.enum(['required', 'optional']).optional(),
  audit_logging: z.enum(['enabled', 'disabled']).optional(),
  policy_enforcement_level: z.enum(['off', 'warn', 'strict']).optional(),
  data_retention_days: z.number().int().min(1).optional(),
  naming: z.unknown().optional(),
  quality_gates: z.unknown().optional(),
  custom_rules: z.unknown().optional(),
  policy_overrides: z.unknown().optional(),
  data_contracts: z.unknown().optional(),
  rbac: z.unknown().optional(),
  secret_scanning: z.unknown().optional(),
  network_policies: z.unknown().optional(),
  policies: z.unknown().optional(),
});

/**
 * zod schema of `manifest.yaml` (kind `Manifest`). Unknown top-level keys are accepted here and
 * reported as warnings by `validateManifest`, which also applies the scope rules and rejects
 * environment-override keys.
 */
export const PlatformManifestSchema = z
  .object({
    $schema: z.string().optional(),
    apiVersion: z.literal(FLOE_API_VERSION),
    kind: z.literal('Manifest'),
    metadata: ManifestMetadataSchema,
    scope: z
      .enum(['enterprise', 'domain'])
      .optional()
      .meta({ description: 'enterprise or domain (3-tier); absent = a single platform manifest (2-tier)' }),
    parent_manifest: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'OCI URI or path of the enterprise manifest (domain scope only, required there)' }),
    plugins: PluginsConfigSchema,
    governance: GovernanceConfigSchema.optional(),
    approved_plugins: ApprovedPluginsSchema.optional().meta({ description: 'Enterprise scope only' }),
    approved_sinks: z
      .array(z.string().min(1))
      .optional()
      .meta({ description: 'Enterprise scope only: sink types destinations may use; absent = no restriction' }),
    approved_products: z.array(z.string().min(1)).optional().meta({ description: 'Domain scope only' }),
    defaults: z.record(z.string(), z.string()).optional(),
    artifacts: z.unknown().optional(),
  })
  .meta({ title: 'manifest.yaml', description: 'A floe platform manifest' });

/** A validated manifest.yaml. */
export type PlatformManifest = z.output<typeof PlatformManifestSchema>;
/** One plugin selection of a manifest. */
export type PluginSelection = z.output<typeof PluginSelectionSchema>;
/** manifest.yaml `scope`. */
export type ManifestScope = NonNullable<PlatformManifest['scope']>;
