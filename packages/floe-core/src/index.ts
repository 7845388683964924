// @floe/core public API. Named exports only: this file is the package's whole surface.

// Errors
export { ErrorCategory, ERROR_CATEGORIES } from './error-category.js';
export { FloeError, isFloeError } from './floe-error.js';
export { brand, hasBrand } from './brand.js';
export type { FloeErrorOptions } from './floe-error.js';
export { ConfigValidationError, formatIssue } from './config-validation-error.js';
export type { ValidationIssue } from './config-validation-error.js';

// Plugin base and types
export { PluginType, PLUGIN_TYPES, PLUGIN_DISCOVERY_GROUPS, isPluginType } from './plugin-type.js';
export { FLOE_PLUGIN_API_VERSION, isCompatible, parseApiVersion } from './api-version.js';
export { PluginMetadata } from './plugin-metadata.js';
export type { HealthState, HealthStatus } from './plugin-metadata.js';

// Ingestion contract
export { IngestionPlugin } from './ingestion-plugin.js';
export type { IngestionConfig, IngestionResult, IngestionRunOptions } from './ingestion-plugin.js';

// Egress contract
export {
  SinkConnector,
  SINK_CONNECTOR_METHODS,
  isSinkConnector,
  assertSinkConnector,
  missingSinkConnectorMethods,
} from './sink-connector.js';
export type {
  CatalogConfig,
  EgressData,
  RejectedRows,
  Sink,
  SourceConfig,
  WriteOptions,
  WriteEvent,
  WriteIsolatingEvent,
  WriteRetryEvent,
  WriteProgress,
} from './sink-connector.js';
export { SinkConfig, DEFAULT_RETRY_CONFIG, BATCH_SIZE_LIMITS, FIELD_NAME_PATTERN } from './sink-config.js';
export type { RetryConfig, SinkConfigInit } from './sink-config.js';
export { EgressResult, EMPTY_CHECKSUM } from './egress-result.js';
export type { EgressRecordError, EgressResultInit, EgressStatus } from './egress-result.js';

// Plugin discovery and registry
export { PluginRegistry } from './plugin-registry.js';
export { nodeModulesChain } from './internal/scan-node-modules.js';
export type { PluginEntry, PluginRegistryOptions } from './plugin-registry.js';
export { FLOE_PACKAGE_FIELD, readPluginDeclarations } from './plugin-declaration.js';
export type { PluginDeclaration } from './plugin-declaration.js';
export { validatePluginConfig } from './validate-plugin-config.js';
export type { ValidatePluginConfigOptions } from './validate-plugin-config.js';
export { PluginNotFoundError, isPluginNotFoundError } from './plugin-not-found-error.js';
export { DuplicatePluginError, isDuplicatePluginError } from './duplicate-plugin-error.js';
export { PluginIncompatibleError, isPluginIncompatibleError } from './plugin-incompatible-error.js';
export { PluginConfigurationError, isPluginConfigurationError } from './plugin-configuration-error.js';

// Configuration: floe.yaml and manifest.yaml
export type { ValidationResult, ValidateOptions } from './validation-result.js';
export {
  FloeSpecSchema,
  FloeMetadataSchema,
  TransformSpecSchema,
  ScheduleSpecSchema,
  OutputPortSchema,
  OutputPortColumnSchema,
  PlatformRefSchema,
  FLOE_API_VERSION,
  PRODUCT_NAME_PATTERN,
  SEMVER_PATTERN,
  MODEL_NAME_PATTERN,
} from './floe-spec.js';
export type { FloeSpec, FloeMetadata, TransformSpec, ScheduleSpec, OutputPort } from './floe-spec.js';
export {
  DestinationConfigSchema,
  DESTINATION_NAME_PATTERN,
  DESTINATION_CONFIG_MAX_KEYS,
} from './destination-config.js';
export type { DestinationConfig } from './destination-config.js';
export {
  PlatformManifestSchema,
  ManifestMetadataSchema,
  PluginSelectionSchema,
  PluginsConfigSchema,
  ApprovedPluginsSchema,
  GovernanceConfigSchema,
} from './platform-manifest.js';
export type { PlatformManifest, PluginSelection, ManifestScope } from './platform-manifest.js';
export { validateFloeSpec, parseFloeSpec, loadFloeSpec } from './parse-floe-spec.js';
export { validateManifest, parseManifest, loadManifest } from './parse-manifest.js';
export { FORBIDDEN_CREDENTIAL_KEYS, findForbiddenCredentialKeys } from './forbidden-credential-keys.js';
export { FORBIDDEN_ENVIRONMENT_KEYS, findEnvironmentKeys } from './environment-keys.js';
export { floeSpecJsonSchema, manifestJsonSchema } from './json-schemas.js';
export type { JsonSchema } from './json-schemas.js';

// Secrets
export {
  SECRET_NAME_PATTERN,
  SECRET_NAME_MAX_LENGTH,
  SECRET_SOURCES,
  SecretNameSchema,
  isValidSecretName,
  parseSecretReference,
  secretEnvVarName,
} from './secret-reference.js';
export type { SecretReference, SecretSource } from './secret-reference.js';
export { secretForms, redactNeedles } from './secret-forms.js';

// Governance
export { PluginWhitelistError, isPluginWhitelistError } from './plugin-whitelist-error.js';
export { validateDomainPluginWhitelist } from './validate-domain-plugin-whitelist.js';
export { SinkWhitelistError, isSinkWhitelistError } from './sink-whitelist-error.js';
export { validateSinkWhitelist } from './validate-sink-whitelist.js';

// Egress compile step
export { compileEgress, compileEgressOrThrow } from './compile-egress.js';
export type { CompileEgressOptions, CompileEgressResult } from './compile-egress.js';
export { WRITE_DISPOSITIONS, toSinkConfig } from './egress-plan.js';
export type { EgressPlan, PlannedDestination, WriteDisposition } from './egress-plan.js';
export { toSinkTypeDescriptors, sinkTypeDescriptorsOf } from './sink-type-descriptor.js';
export type {
  ConnectionContext,
  DestinationPreview,
  EncodedRows,
  SinkCapabilities,
  SinkCheckInput,
  SinkCheckIssue,
  SinkSecretKeys,
  SinkTargetCheck,
  SinkTargetTestOptions,
  SinkTypeDescriptor,
} from './sink-type-descriptor.js';

// Delivery protocol (resume, exactly once)
export { isResumableSinkConnector } from './delivery/resumable-sink-connector.js';
export type {
  DeliveryDescription,
  DeliveryRunParts,
  ResumableSinkConnector,
} from './delivery/resumable-sink-connector.js';
export type {
  CommittedBatch,
  DeliveryLedger,
  DeliveryState,
  LedgerBatch,
  LedgerEntry,
  LedgerRun,
  LedgerRunInit,
  LedgerRunState,
  RecordedReject,
  LedgerRunStatus,
  ListRunsFilter,
  PartialBatch,
} from './delivery/delivery-ledger.js';
export { isLeasingLedger } from './delivery/run-lease.js';
export {
  DEFAULT_MAX_DELETE_FRACTION,
  KEYED_SYNC_MODES,
  ON_DELETE_ACTIONS,
  SYNC_MODES,
  SyncSettingsSchema,
} from './sync/sync-settings.js';
export type { OnDeleteAction, PlannedSync, SyncMode, SyncSettings } from './sync/sync-settings.js';
export { SYNC_COLUMNS, SYNC_OPS, isSyncColumn } from './sync/sync-columns.js';
export type { SyncOp } from './sync/sync-columns.js';
export type { SyncDeltaRow, SyncWrite } from './sync/sync-write.js';
export type { SyncChangeCounts, SyncDiffPath } from './sync/sync-counts.js';
export { isSyncStateLedger } from './sync/sync-state-store.js';
export type {
  SyncScope,
  SyncStateLedger,
  SyncStateMeta,
  SyncStateRecord,
  SyncStateStore,
} from './sync/sync-state-store.js';
export { isVerifyingLedger } from './delivery/verifying-ledger.js';
export type { VerifyingLedger } from './delivery/verifying-ledger.js';
export type {
  AcquireLeaseOptions,
  LeaseAcquisition,
  LeaseHolder,
  LeaseOwner,
  LeasingLedger,
  RunLease,
} from './delivery/run-lease.js';
