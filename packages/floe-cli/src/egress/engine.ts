import type { RecordBatch, Schema } from 'apache-arrow';
import type {
  EgressData,
  EgressResult,
  PlatformManifest,
  Sink,
  SinkConfig,
  SinkTypeDescriptor,
  WriteOptions,
} from '@floe/core';
import type { DeliveryLedger, DeliveryOptions } from '@floe/ingestion-dlt';
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
}

/** Rows as a sink would send them: values by destination column, and each row's JSON text for JSON sinks. */
export interface EncodedRows {
  readonly rows: Record<string, unknown>[];
  /** The exact JSON object text of each row, for sinks that send JSON (`rest_api`). */
  readonly json?: readonly string[];
}

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

/** `write()` options with delivery through a ledger (resume; see `@floe/ingestion-dlt`'s `DeliveryOptions`). */
export interface EngineWriteOptions extends WriteOptions {
  readonly delivery?: DeliveryOptions;
}

/** What fixes a run's batches, as the engine computes it for a sink. */
export interface RunDescription {
  /** See `deliveryRunKey` in `@floe/ingestion-dlt`. */
  readonly runKey: string;
  /** Rows per batch the sink really uses (0 = one batch). */
  readonly batchSize: number;
}

/** The engine's delivery-ledger support (absent: runs are not recorded and never resumed). */
export interface EngineDelivery {
  /** Opens the state store at a location (`sqlite:<file>`, `postgres://…`); relative files against `baseDir`. */
  openStateStore(location: string, baseDir: string): DeliveryLedger;
  /** The run key and batch size of a delivery through `sink`. */
  describeRun(
    sink: Sink,
    parts: { sourceTable: string; snapshotId: string | null; disposition: string },
  ): RunDescription;
  /** The ledger the sink keeps in its destination (SQL append/merge), if any. */
  sinkLedger(sink: Sink): DeliveryLedger | undefined;
  /** A ledger that writes to `primary` and copies to `mirror` (best effort). */
  mirrored(primary: DeliveryLedger, mirror: DeliveryLedger): DeliveryLedger;
}

/**
 * The CLI's view of the egress machinery: the installed sink types, a connector that creates and
 * writes sinks, and a reader for the Gold tables. The default one is built from
 * `@floe/ingestion-dlt` and `@floe/lakehouse` (see `createDefaultEngine`).
 */
export interface EgressEngine {
  /** Sink types offered, with their config schemas (for `compileEgress`). */
  readonly sinks: readonly SinkTypeDescriptor[];
  createSink(config: SinkConfig): Promise<Sink>;
  write(sink: Sink, data: EgressData, options: EngineWriteOptions): Promise<EgressResult>;
  openSource(ref: SourceRef, options: OpenSourceOptions): Promise<SourceTable>;
  /** The first rows of `batch` exactly as a sink of `config`'s type would send them (mapped, encoded). */
  encodeRows(config: SinkConfig, batch: RecordBatch, limit: number): EncodedRows;
  /** Delivery ledgers: record runs, resume unfinished ones. */
  readonly delivery?: EngineDelivery;
  /** Releases the plugin. */
  close(): Promise<void>;
}
