/**
 * The kinds of plugin the floe platform loads. Egress is a capability ({@link SinkConnector}),
 * not a plugin type: there is deliberately no `sink` member.
 */
export const PluginType = {
  COMPUTE: 'compute',
  ORCHESTRATOR: 'orchestrator',
  CATALOG: 'catalog',
  STORAGE: 'storage',
  TELEMETRY_BACKEND: 'telemetry_backend',
  LINEAGE_BACKEND: 'lineage_backend',
  DBT: 'dbt',
  SEMANTIC_LAYER: 'semantic_layer',
  INGESTION: 'ingestion',
  SECRETS: 'secrets',
  IDENTITY: 'identity',
} as const;

/** One of the {@link PluginType} values. */
export type PluginType = (typeof PluginType)[keyof typeof PluginType];

/** Every plugin type, in declaration order. */
export const PLUGIN_TYPES: readonly PluginType[] = Object.freeze(Object.values(PluginType));

/**
 * The discovery group of each plugin type: the npm equivalent of a Python entry-point group.
 * A package lists its plugins in `package.json` under `floe.plugins[]` with a `type`; the group
 * names the same thing for tools that need a flat string.
 */
export const PLUGIN_DISCOVERY_GROUPS: Readonly<Record<PluginType, string>> = Object.freeze({
  compute: 'floe.computes',
  orchestrator: 'floe.orchestrators',
  catalog: 'floe.catalogs',
  storage: 'floe.storage',
  telemetry_backend: 'floe.telemetry_backends',
  lineage_backend: 'floe.lineage_backends',
  dbt: 'floe.dbt',
  semantic_layer: 'floe.semantic_layers',
  ingestion: 'floe.ingestion',
  secrets: 'floe.secrets',
  identity: 'floe.identity',
});

/** True when `value` names a {@link PluginType}. */
export function isPluginType(value: unknown): value is PluginType {
  return typeof value === 'string' && (PLUGIN_TYPES as readonly string[]).includes(value);
}
