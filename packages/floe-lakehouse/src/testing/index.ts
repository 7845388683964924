/**
 * `@floe/lakehouse/testing` — writes real Iceberg tables (metadata.json, Avro manifests, Parquet
 * data and delete files) for tests and benchmarks of code that reads the Gold layer.
 *
 * @example
 * import { IcebergTableWriter } from '@floe/lakehouse/testing';
 * const writer = await IcebergTableWriter.create({
 *   location: '/tmp/t',
 *   fields: [{ id: 1, name: 'id', required: true, type: 'long' }],
 * });
 * await writer.commit({ dataFiles: [{ batches: [batch] }] });
 *
 * @packageDocumentation
 */
export { IcebergTableWriter } from './iceberg-table-writer.js';
export type { CommitInput, CommitResult, IcebergTableWriterOptions, WriterFileInput } from './writer-types.js';
export type { IcebergJsonField } from './write-parquet-file.js';
