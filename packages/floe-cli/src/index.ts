// @floe/cli public API: run the CLI in-process and reuse its small building blocks.
// Named exports only: this file is the package's whole surface.

export { runCli } from './program.js';
export type { CliContext } from './context.js';
export { defaultContext } from './default-context.js';
export { ExitCode, worstExitCode } from './exit-code.js';

// Secrets
export { resolveSecret, SECRETS_DIR_ENV } from './secrets/resolve-secret.js';
export type { ResolvedSecret, ResolveSecretOptions } from './secrets/resolve-secret.js';
export { processSecretSource } from './secrets/secret-source.js';
export type { SecretSource } from './secrets/secret-source.js';
export { SecretNotFoundError, isSecretNotFoundError } from './secrets/secret-not-found-error.js';
export type { SecretKeyRule } from './secrets/secret-keys.js';
export { secretEnvVar, secretFilePath } from './secrets/secret-locations.js';
export { Redactor, REDACTED } from './secrets/redactor.js';

// Paths
export { projectPaths, resolveProjectPath, stateDir, DEFAULT_SPEC_FILE, DEFAULT_STATE_DIR } from './paths.js';
export type { ProjectPaths } from './paths.js';

// Egress engine (for embedding the CLI with another plugin or reader)
export type { EgressEngine, InstalledPlugin, OpenSourceOptions, SourceTable } from './egress/engine.js';
export { createDefaultEngine } from './egress/default-engine.js';
export type { EngineOptions } from './egress/default-engine.js';
export { discoverSinkConnectors } from './plugins/discover-sink-connectors.js';
export type { DiscoveredSinks, OfferedSinkType } from './plugins/discover-sink-connectors.js';
export { parseSourceTable } from './source/source-ref.js';
export type { SourceRef } from './source/source-ref.js';

// Receipts and tracing
export { ReceiptStore } from './receipts/receipt-store.js';
export { newRunId } from './receipts/run-id.js';
export { setupTracing, tracingPlan } from './telemetry/setup-tracing.js';
export type { Tracing, TracingOptions, TracingPlan } from './telemetry/setup-tracing.js';
