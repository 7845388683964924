// @floe/delivery public API. Named exports only: this file is the package's whole surface.

// Errors
export { DeliveryError, isDeliveryError } from './delivery-error.js';
export type { DeliveryErrorCode, DeliveryErrorOptions } from './delivery-error.js';

// For connectors: the per-batch side of the protocol
export { DeliveryTracker } from './delivery-tracker.js';
export type { BatchDecision } from './delivery-tracker.js';
export { deliveryRunKey, batchIdempotencyKey } from './run-key.js';
export type { RunKeyParts } from './run-key.js';

// For hosts: the run lifecycle (plan → begin → write → finish → summary)
export { planRun, runKeyOf, runLeaseKey } from './plan-run.js';
export type { PlanRunOptions, RunInput, RunPlan, RunPlanning } from './plan-run.js';
export { runDelivery, ledgerStatus } from './run-delivery.js';
export type {
  AttemptResult,
  AttemptStatus,
  DeliverySummary,
  RunDeliveryOptions,
  RunDeliveryOutcome,
} from './run-delivery.js';
export { effectiveStatus, processAlive } from './run-status.js';
export { DEFAULT_LEASE_TIMEOUT_MS, leaseHeldMessage, takeRunLease } from './take-run-lease.js';
export type { LeaseTaking, RunLeaseOptions } from './take-run-lease.js';

// Ledgers and state stores
export { KnexDeliveryLedger } from './knex-delivery-ledger.js';
export type { BatchRecord, KnexDeliveryLedgerOptions } from './knex-delivery-ledger.js';
export { LEASES_TABLE, LEDGER_TABLE, RUNS_TABLE, ensureLedgerTables } from './ledger-tables.js';
export {
  REJECTS_TABLE,
  discardRejects,
  ensureRejectsTable,
  insertRejectsQuery,
  readRejects,
} from './reject-records.js';
export { openStateStore, parseStateStoreLocation } from './open-state-store.js';
export type { StateStoreLocation, StateStoreOptions } from './open-state-store.js';
export { StateStoreHandle } from './state-store-handle.js';
export { mirroredLedger } from './mirrored-ledger.js';

// Sync: state, canonical keys and fingerprints, change rows
export { KnexSyncState } from './sync/knex-sync-state.js';
export type { KnexSyncStateOptions } from './sync/knex-sync-state.js';
export { SYNC_PENDING_TABLE, SYNC_SCOPES_TABLE, SYNC_STATE_TABLE, ensureSyncTables } from './sync/sync-tables.js';
export { parseSyncKey, rowFingerprints, syncKeyText, syncKeyTexts } from './sync/canonical-row.js';
export { syncDeltaOf } from './sync/sync-delta.js';
export { SYNC_FILE_COLUMN, diffChanges } from './sync/diff-changes.js';
export type { DiffInput, DiffReject, DiffResult, DiffRows } from './sync/diff-changes.js';
