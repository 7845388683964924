import { SinkConfig, type RetryConfig } from './sink-config.js';
import type { PlannedSync } from './sync/sync-settings.js';

/** How a destination treats existing data, from `config.write_disposition` (default `append`). */
export const WRITE_DISPOSITIONS = Object.freeze(['append', 'replace', 'merge'] as const);

/** One of {@link WRITE_DISPOSITIONS}. */
export type WriteDisposition = (typeof WRITE_DISPOSITIONS)[number];

/** One destination of an {@link EgressPlan}, validated against governance and its sink type. */
export interface PlannedDestination {
  /** Position in floe.yaml's `destinations` list. */
  readonly index: number;
  readonly name: string;
  readonly sinkType: string;
  /** The Kubernetes Secret holding the destination's credentials. */
  readonly connectionSecretRef: string;
  /** The Iceberg Gold table to read, e.g. `gold.customers`. */
  readonly sourceTable: string;
  /** Source column → destination field; `undefined` = names unchanged. */
  readonly fieldMapping: Readonly<Record<string, string>> | undefined;
  /** Rows per batch; `undefined` = all rows at once. */
  readonly batchSize: number | undefined;
  readonly disposition: WriteDisposition;
  /** How the destination is kept in step: mode (or `write_disposition`'s alias), primary key, mirror guard. */
  readonly sync: PlannedSync;
  /** The `config` block as parsed by the sink type's schema (raw when it has none; `{}` when absent). */
  readonly config: Readonly<Record<string, unknown>>;
}

/** What `compileEgress` produces: every destination of a floe.yaml, ready to run. */
export interface EgressPlan {
  /** The data product (floe.yaml `metadata`). */
  readonly product: { readonly name: string; readonly version: string };
  /** The floe.yaml the plan was compiled from, as named in issues. */
  readonly specFile: string;
  readonly destinations: readonly PlannedDestination[];
}

/**
 * Builds the {@link SinkConfig} a `SinkConnector.createSink` call takes for a planned destination.
 * `connection` holds the resolved secret values; they are merged over the destination's `config`.
 *
 * @example
 * ```ts
 * const config = toSinkConfig(planned, { connection: { token: process.env.FLOE_SECRET_CRM_TOKEN } });
 * const sink = await connector.createSink(config);
 * ```
 */
export function toSinkConfig(
  destination: PlannedDestination,
  options: { connection?: Readonly<Record<string, unknown>>; retryConfig?: Partial<RetryConfig> } = {},
): SinkConfig {
  return new SinkConfig({
    sinkType: destination.sinkType,
    name: destination.name,
    connectionConfig: { ...destination.config, ...options.connection },
    ...(destination.fieldMapping && { fieldMapping: destination.fieldMapping }),
    ...(destination.batchSize !== undefined && { batchSize: destination.batchSize }),
    ...(options.retryConfig && { retryConfig: options.retryConfig }),
  });
}
