import { PluginMetadata } from './plugin-metadata.js';

/** Configuration of one ingestion pipeline (source → Iceberg bronze). */
export interface IngestionConfig {
  /** The source type the plugin understands, e.g. `rest_api`, `sql_database`. */
  readonly sourceType: string;
  /** Source-specific settings (credentials only by reference). */
  readonly sourceConfig: Readonly<Record<string, unknown>>;
  /** The destination Iceberg table, `namespace.table`. */
  readonly destinationTable: string;
  /** `append`, `replace` or `merge`; default `append`. */
  readonly writeMode?: 'append' | 'replace' | 'merge';
  /** Whether the pipeline may evolve the destination schema. */
  readonly schemaContract?: 'evolve' | 'freeze' | 'discard_value';
  /** Field used for incremental loading, if any. */
  readonly cursorField?: string;
  /** Primary key columns for `merge`. */
  readonly primaryKey?: readonly string[];
}

/** The outcome of an ingestion run. */
export interface IngestionResult {
  readonly success: boolean;
  readonly rowsLoaded: number;
  readonly bytesWritten: number;
  readonly durationSeconds: number;
  readonly errors: readonly string[];
}

/** Options of {@link IngestionPlugin.run}. */
export interface IngestionRunOptions {
  /** Stops the run between batches. */
  readonly signal?: AbortSignal;
  /** Full refresh instead of incremental. */
  readonly fullRefresh?: boolean;
}

/**
 * An ingestion plugin: loads external data into the lakehouse.
 * Egress is a separate capability: implement {@link SinkConnector} as well to push data out.
 */
export abstract class IngestionPlugin extends PluginMetadata {
  /** Whether the plugin runs outside the platform (a managed service) rather than in-process. */
  abstract readonly isExternal: boolean;
  /** Build a pipeline object from a validated config. */
  abstract createPipeline(config: IngestionConfig): Promise<unknown>;
  /** Run a pipeline created by {@link createPipeline}. */
  abstract run(pipeline: unknown, options?: IngestionRunOptions): Promise<IngestionResult>;
  /** The destination settings for writing into the Iceberg catalog. */
  abstract getDestinationConfig(catalogConfig: Readonly<Record<string, unknown>>): Record<string, unknown>;
}
