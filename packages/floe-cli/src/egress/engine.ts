import type { RecordBatch, Schema } from 'apache-arrow';
import type { FileBatch, TableChanges } from '@floe/lakehouse';
import type {
  DeliveryDescription,
  DeliveryRunParts,
  EgressData,
  EncodedRows,
  EgressResult,
  PlatformManifest,
  Sink,
  SinkConfig,
  SinkTypeDescriptor,
  WriteOptions,
} from '@floe/core';
import type { Redactor } from '../secrets/redactor.js';
import type { SecretSource } from '../secrets/secret-source.js';
import type { SourceRef } from '../source/source-ref.js';

/** An opened Gold table, pinned to one snapshot. */
export interface SourceTable {
  /** How messages name it: the identifier or the location as written. */
  readonly label: string;
  readonly schema: Schema;
  /** The snapshot read (decimal string), `undefined` for a table without snapshots. */
  readonly snapshotId: string | undefined;
  /** When that snapshot was committed (ISO-8601), when known. */
  readonly snapshotTimestamp: string | undefined;
  /** Rows in the snapshot (after deletes). */
  count(): Promise<number>;
  /** The rows as Arrow record batches. */
  batches(options: { readonly columns?: readonly string[]; readonly signal?: AbortSignal }): AsyncIterable<RecordBatch>;
  /** The table's identity (Iceberg `table-uuid`), to tell a table replaced under the same name. */
  readonly tableUuid?: string;
  /** The rows with the data file each came from; `files` limits the read to those (recorded paths). */
  fileBatches?(options: {
    readonly files?: readonly string[];
    /** Read at this snapshot instead of the pinned one. */
    readonly snapshotId?: string;
    readonly signal?: AbortSignal;
  }): AsyncIterable<TaggedBatch>;
  /** Which files changed since `snapshotId` up to the pinned snapshot, to read only those (see {@link SourceChanges}). */
  changesSince?(snapshotId: string, options: { readonly signal?: AbortSignal }): Promise<SourceChanges>;
  /** Bytes read from storage so far (for the plan and benchmarks). */
  bytesRead?(): number;
}

/** A batch of rows read from one data file (`@floe/lakehouse`'s `FileBatch`). */
export type TaggedBatch = FileBatch;

/** What changed in a table between a synced snapshot and the pinned one, file by file (`@floe/lakehouse`'s). */
export type SourceChanges = TableChanges;

/** What opening a source needs besides the reference. */
export interface OpenSourceOptions {
  /** The manifest, whose `plugins.catalog` says where catalog identifiers are looked up. */
  readonly manifest: PlatformManifest | undefined;
  /** The manifest's folder: a local catalog's relative `warehouse` is resolved against it. */
  readonly manifestDir: string | undefined;
  readonly secrets: SecretSource;
  /** Catalog credentials are registered here so no output shows them. */
  readonly redactor: Redactor;
  readonly signal: AbortSignal;
  /** Read this snapshot instead of the current one (to finish a run that started on it). */
  readonly snapshotId?: string;
}

/** A discovered plugin, as `floe plugins` lists it. */
export interface InstalledPlugin {
  readonly type: string;
  readonly name: string;
  /** `package@version` it came from (or `register()`). */
  readonly source: string;
  readonly version: string | undefined;
  readonly apiVersion: string | undefined;
  /** Whether it loaded and its API version is compatible with this platform's. */
  readonly ok: boolean;
  /** The sink types it offers (empty for a plugin that is not a SinkConnector). */
  readonly sinkTypes: readonly string[];
  /** Why it could not be used, naming the package. */
  readonly error?: string;
}

/**
 * The CLI's view of the egress machinery: the sink types offered by the installed plugins (found through
 * `PluginRegistry`), a connector for each that creates and writes sinks, and a reader for the Gold tables.
 * Nothing here names a sink type: what a sink type needs is in its descriptor.
 */
export interface EgressEngine {
  /** Every sink type offered, with its descriptor (for `compileEgress` and the commands). */
  readonly sinks: readonly SinkTypeDescriptor[];
  /** The plugins discovery found, usable or not. */
  readonly plugins: readonly InstalledPlugin[];
  /** Discovery problems (a plugin that failed to load, a sink type offered twice), as lines naming the package. */
  readonly problems: readonly string[];
  /**
   * Picks the plugin whose offer wins where several plugins offer one sink type (the manifest's
   * `plugins.ingestion.type`); `sinks` and `problems` follow.
   */
  select?(plugin: string | undefined): void;
  /** The descriptor of `sinkType` (a bare `{ sinkType }` for a sink that declares nothing more). */
  descriptor(sinkType: string): SinkTypeDescriptor | undefined;
  createSink(config: SinkConfig): Promise<Sink>;
  write(sink: Sink, data: EgressData, options: WriteOptions): Promise<EgressResult>;
  /** How the sink delivers a run, when its connector takes part in the delivery protocol; else at-least-once. */
  describeDelivery(sink: Sink, parts: DeliveryRunParts): DeliveryDescription | undefined;
  /** Whether the connector offering `sinkType` takes part in the delivery protocol (resume, exactly once). */
  resumable(sinkType: string): boolean;
  openSource(ref: SourceRef, options: OpenSourceOptions): Promise<SourceTable>;
  /** The first rows of `batch` exactly as a sink of `config`'s type would send them (mapped, encoded). */
  encodeRows(config: SinkConfig, batch: RecordBatch, limit: number): EncodedRows;
  /** Releases the plugins. */
  close(): Promise<void>;
}
