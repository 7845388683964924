import type { RecordBatch } from 'apache-arrow';
import type { ZodType } from 'zod';
import type { ErrorCategory } from './error-category.js';
import type { SinkConfig } from './sink-config.js';
import type { PlannedSync, SyncMode } from './sync/sync-settings.js';

/**
 * Which keys of a connection Secret a sink type reads, and which combinations are enough.
 *
 * @example
 * ```ts
 * const secret: SinkSecretKeys = { keys: ['token', 'api_key'], anyOf: [['token'], ['api_key']] };
 * ```
 */
export interface SinkSecretKeys {
  /** Every key looked up, in the order they are reported. */
  readonly keys: readonly string[];
  /** Alternatives, any one of which is enough; each is a set of keys that must all be present. */
  readonly anyOf: readonly (readonly string[])[];
}

/** What a sink type can do, declared so the engine asks instead of branching on its name. */
export interface SinkCapabilities {
  /** Write dispositions it supports (`append`, `replace`, `merge`). Absent: `append` only. */
  readonly dispositions?: readonly string[];
  /**
   * Sync modes it supports (`sync.mode`; see `SyncWrite`). Absent: none — the destination is written by
   * disposition only, every row on every run.
   */
  readonly syncModes?: readonly SyncMode[];
  /** The receipt carries the ids the destination gave the records. */
  readonly recordIds?: boolean;
  /** A refused row is rejected as that row (the others land), not the whole batch. */
  readonly perRowRejects?: boolean;
  /** The connector takes part in the delivery protocol (see `isResumableSinkConnector`). */
  readonly resumable?: boolean;
  /** Requests carry an idempotency key, so a re-sent batch is not applied twice by an API that honours it. */
  readonly idempotentRequests?: boolean;
  /** The largest `batch_size` it accepts. */
  readonly maxBatchSize?: number;
  /** `max_concurrency` it accepts at most (absent: no limit of its own). */
  readonly maxConcurrency?: number;
}

/** One problem found by {@link SinkTypeDescriptor.check}: `path` within the destination (`config.table`). */
export interface SinkCheckIssue {
  readonly path: string;
  readonly message: string;
}

/** What {@link SinkTypeDescriptor.check} is given; the parts not known yet are absent. */
export interface SinkCheckInput {
  /** The `config` block as parsed by the descriptor's `configSchema`. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The write disposition (`config.write_disposition`, default `append`). */
  readonly disposition: string;
  /** The destination's sync (mode, primary key), when it syncs by mode. */
  readonly sync?: PlannedSync;
  /** The resolved secret's values (after {@link SinkTypeDescriptor.resolveConnection}), when resolved. */
  readonly connection?: Readonly<Record<string, string>>;
  /** The destination's column names (source columns after `field_mapping`), when the source was read. */
  readonly columns?: readonly string[];
}

/** Where a relative path in a connection is resolved: floe.yaml's folder. */
export interface ConnectionContext {
  readonly baseDir: string;
}

/** Rows as a sink would send them: values by destination column, and each row's JSON text for JSON sinks. */
export interface EncodedRows {
  readonly rows: Record<string, unknown>[];
  /** The exact JSON object text of each row, for sinks that send JSON. */
  readonly json?: readonly string[];
}

/** The first rows found at a destination after a run, or why they cannot be shown. */
export type DestinationPreview =
  | { readonly ok: true; readonly columns: readonly string[]; readonly rows: readonly Record<string, unknown>[] }
  | { readonly ok: false; readonly reason: string };

/** What {@link SinkTypeDescriptor.testTarget} is given besides the config and the connection. */
export interface SinkTargetTestOptions {
  /** The destination's column names (source columns after `field_mapping` and naming), when the source was read. */
  readonly columns?: readonly string[];
  /** Stops the test (Ctrl-C). */
  readonly signal?: AbortSignal;
}

/**
 * One check of {@link SinkTypeDescriptor.testTarget}: `check` is a short name (`connect`, `table`, `columns`,
 * `auth`), `message` says what was found in words, without credentials. A failed check's `category` says what
 * kind of failure it is: `CONFIGURATION` (exit 3: a missing table, a refused credential on a REST API), any other
 * (exit 1: unreachable, refused connection); absent: `CONFIGURATION`.
 *
 * @example
 * ```ts
 * const check: SinkTargetCheck = { check: 'table', ok: false, message: 'table public.contacts does not exist', category: 'CONFIGURATION' };
 * ```
 */
export interface SinkTargetCheck {
  readonly check: string;
  readonly ok: boolean;
  readonly message: string;
  readonly category?: ErrorCategory;
}

/**
 * Everything a host (the floe CLI, an orchestrator) needs to know about one sink type a plugin offers, so it
 * never branches on the sink type's name: its config schema and cross-field checks, the secret keys it reads,
 * how its target is described, how rows look as sent, how the destination is read back, and its capabilities.
 * Only `sinkType` is required; a host falls back to neutral behaviour for every absent member.
 *
 * @example
 * ```ts
 * export const jsonlSink: SinkTypeDescriptor = {
 *   sinkType: 'jsonl_file',
 *   description: 'Append rows as JSON lines to a file',
 *   configSchema: z.strictObject({ file: z.string().min(1) }),
 *   secret: { keys: [], anyOf: [] },
 *   capabilities: { dispositions: ['append'], resumable: true },
 *   describeTarget: (config) => `file ${String(config.file)}`,
 * };
 * ```
 */
export interface SinkTypeDescriptor {
  /** The sink type name used in `destinations[].sink_type`, e.g. `rest_api`. */
  readonly sinkType: string;
  /**
   * Schema of the destination's `config` block (it receives the whole block, including
   * `write_disposition` when given; an absent block is validated as `{}`). Its parsed output
   * becomes the plan's `config`. Absent = any config accepted as-is.
   */
  readonly configSchema?: ZodType;
  /** One line for help output. */
  readonly description?: string;
  /** The connection Secret's keys it reads. Absent: every key the Secret has is passed, none required. */
  readonly secret?: SinkSecretKeys;
  readonly capabilities?: SinkCapabilities;
  /**
   * A `config:` block that passes {@link configSchema}, for `floe init` to scaffold a destination of this type
   * (placeholder values a user edits, e.g. `{ url: 'https://api.example.com/v1/contacts' }`). Optional.
   */
  readonly exampleConfig?: Readonly<Record<string, unknown>>;
  /**
   * Cross-field checks beyond the schema, run by `validate`, `plan` and `run` alike with what each knows
   * (the secret's values and the source columns when they are available), so that everything the sink would
   * refuse before the first row is refused by `validate` too. Returns the problems; no I/O.
   */
  check?(input: SinkCheckInput): readonly SinkCheckIssue[];
  /** The connection values as the sink needs them, e.g. a relative SQLite file made absolute. */
  resolveConnection?(values: Readonly<Record<string, string>>, context: ConnectionContext): Record<string, string>;
  /** Values derived from the secret that are as secret as it (e.g. the base64 of a Basic credential), to redact. */
  derivedSecrets?(connection: Readonly<Record<string, string>>): readonly string[];
  /**
   * How many rows one request carries when the sink sends fewer than a batch at a time (`1`: one request per
   * row, e.g. a REST API taking one record per request); `undefined`: a batch per request. For `plan`.
   */
  rowsPerRequest?(config: Readonly<Record<string, unknown>>): number | undefined;
  /**
   * The destination's name for a source column that `field_mapping` does not rename (a naming convention,
   * e.g. `Breed Name` → `breed_name`). Absent: the source name. An explicit `field_mapping` always wins.
   */
  columnName?(config: Readonly<Record<string, unknown>>, name: string): string;
  /** Where rows go, in words, without credentials: `POST https://api.example.com/contacts`. */
  describeTarget?(config: Readonly<Record<string, unknown>>, connection?: Readonly<Record<string, string>>): string;
  /**
   * Makes what the destination needs before the sink is created (e.g. a SQLite file's folder); `context`
   * says where floe.yaml is. Throws a configuration error for what it must not make.
   */
  prepareTarget?(
    config: Readonly<Record<string, unknown>>,
    connection: Readonly<Record<string, string>>,
    context?: ConnectionContext,
  ): void;
  /** The first `limit` rows of `batch` exactly as the sink would send them (mapped, named, encoded). */
  encodeRows?(config: SinkConfig, batch: RecordBatch, limit: number): EncodedRows;
  /**
   * Tests the destination without writing anything, for `floe destination test` and `floe egress plan
   * --check-target`: connects with the resolved `connection` (after {@link resolveConnection}), checks the
   * target exists (or will be created) and takes `options.columns`, or that an endpoint answers the credential.
   * Strictly read-only: no table, schema, file or request that writes; every connection it opens is closed.
   * Returns one {@link SinkTargetCheck} per check; an unreachable target is a failed check, not a rejection.
   * Absent: the host says the sink type does not support the test (not an error).
   */
  testTarget?(
    config: Readonly<Record<string, unknown>>,
    connection: Readonly<Record<string, string>>,
    options: SinkTargetTestOptions,
  ): Promise<readonly SinkTargetCheck[]>;
  /** Reads the first `limit` rows back from the destination (read-only), for `--preview`. */
  readBack?(
    config: Readonly<Record<string, unknown>>,
    connection: Readonly<Record<string, string>>,
    limit: number,
  ): Promise<DestinationPreview>;
}

/** Normalises a list of sink type names and/or descriptors to descriptors. */
export function toSinkTypeDescriptors(sinks: readonly (string | SinkTypeDescriptor)[]): SinkTypeDescriptor[] {
  return sinks.map((sink) => (typeof sink === 'string' ? { sinkType: sink } : sink));
}

/**
 * The descriptors a connector offers: those its optional `describeSinks()` method returns (one per sink type
 * it offers), else a bare `{ sinkType }` for every name `listAvailableSinks()` gives (a sink that implements
 * only the four contract methods).
 *
 * @example
 * ```ts
 * const descriptors = sinkTypeDescriptorsOf(plugin); // [{ sinkType: 'rest_api', configSchema, … }, …]
 * ```
 */
export function sinkTypeDescriptorsOf(connector: {
  listAvailableSinks(): readonly string[];
  describeSinks?: () => readonly SinkTypeDescriptor[];
}): SinkTypeDescriptor[] {
  if (typeof connector.describeSinks === 'function') return [...connector.describeSinks()];
  return connector.listAvailableSinks().map((sinkType) => ({ sinkType }));
}
