/**
 * @floe/lakehouse — read Apache Iceberg tables (REST catalog / Polaris, S3, HTTP, local) as
 * streaming Apache Arrow record batches.
 *
 * @packageDocumentation
 */
export { openTable } from './open-table.js';
export type { OpenTableOptions, OpenByLocation, OpenByMetadata, OpenByCatalog, S3Options } from './open-table.js';
export { readTable } from './read-table.js';
export type { ReadTableOptions } from './read-table.js';
export { IcebergTable } from './iceberg-table.js';
export type { BatchOptions, PlannedDataFile, PlannedDeleteFile, ScanOptions, ScanPlan, SnapshotInfo } from './types.js';
export type {
  ChangeReadOptions,
  ChangesOptions,
  FileBatch,
  FileBatchOptions,
  IncrementalChanges,
  NonIncrementalChanges,
  TableChanges,
} from './changes/table-changes.js';
export { getSourceConfig } from './source-config.js';
export type {
  LocalSourceConfig,
  OAuth2SourceConfig,
  RestCatalogSourceConfig,
  S3SourceConfig,
  SourceConfig,
} from './source-config.js';
export type { SecretResolver } from './internal/catalog/rest-catalog-client.js';
export { FIELD_ID_KEY, ICEBERG_TYPE_KEY } from './internal/arrow/iceberg-arrow-type.js';
export {
  IcebergCatalogError,
  IcebergMetadataError,
  IcebergNotFoundError,
  IcebergUnsupportedError,
  LakehouseConfigError,
  LakehouseError,
  StorageError,
  isIcebergCatalogError,
  isIcebergMetadataError,
  isIcebergNotFoundError,
  isIcebergUnsupportedError,
  isLakehouseConfigError,
  isLakehouseError,
  isStorageError,
} from './errors.js';
export type { LakehouseErrorCategory, LakehouseErrorOptions } from './errors.js';
