export { deliveryRunKey } from './run-key.js';
export type { RunKeyParts } from './run-key.js';
export { KnexDeliveryLedger } from './knex-delivery-ledger.js';
export type { BatchRecord, KnexDeliveryLedgerOptions } from './knex-delivery-ledger.js';
export { LEDGER_TABLE, RUNS_TABLE, ensureLedgerTables } from './ledger-tables.js';
export { openStateStore, parseStateStoreLocation } from './open-state-store.js';
export type { StateStoreLocation, StateStoreOptions } from './open-state-store.js';
export { mirroredLedger } from './mirrored-ledger.js';
export { sinkLedger, sinkRunKey } from './sink-delivery.js';
export type { SinkRunParts } from './sink-delivery.js';
export type {
  CommittedBatch,
  DeliveryLedger,
  LedgerBatch,
  LedgerEntry,
  LedgerRun,
  LedgerRunInit,
  LedgerRunState,
  LedgerRunStatus,
  ListRunsFilter,
  PartialBatch,
} from './types.js';
