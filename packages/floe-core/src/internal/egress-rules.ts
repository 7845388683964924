import type { DestinationConfig } from '../destination-config.js';
import { WRITE_DISPOSITIONS, type WriteDisposition } from '../egress-plan.js';
import type { SinkTypeDescriptor } from '../sink-type-descriptor.js';
import { SinkWhitelistError } from '../sink-whitelist-error.js';
import { describeValue, isPlainObject } from './describe-value.js';
import type { RawIssue } from './raw-issue.js';
import { plannedSync, SYNC_RULES } from './sync-rules.js';
import { fromZodIssues } from './zod-issues.js';

/** What every egress rule sees about the platform. */
export interface EgressContext {
  readonly approvedSinks: readonly string[] | undefined;
  readonly sinks: ReadonlyMap<string, SinkTypeDescriptor>;
  readonly resolveTable: ((identifier: string) => boolean) | undefined;
}

/** One destination-level rule: issues for `destinations[index]`. */
export type EgressRule = (destination: DestinationConfig, index: number, context: EgressContext) => RawIssue[];

const at = (index: number, ...rest: (string | number)[]) => ['destinations', index, ...rest];

/** FR-017: the sink type must be in the manifest's `approved_sinks` (when it has one). */
export const approvedSinkType: EgressRule = (destination, index, { approvedSinks }) =>
  approvedSinks !== undefined && !approvedSinks.includes(destination.sink_type)
    ? [
        {
          segments: at(index, 'sink_type'),
          message: new SinkWhitelistError(destination.sink_type, approvedSinks).message,
        },
      ]
    : [];

/** Some installed plugin must offer the sink type. */
export const availableSinkType: EgressRule = (destination, index, { sinks }) => {
  if (sinks.has(destination.sink_type)) return [];
  const available = [...sinks.keys()];
  const list = available.length > 0 ? `available: ${available.join(', ')}` : 'no installed plugin offers any sink type';
  return [
    {
      segments: at(index, 'sink_type'),
      message: `no installed plugin offers sink type "${destination.sink_type}" (${list})`,
    },
  ];
};

/** `config.write_disposition`, when given, must be a known disposition. */
export const knownDisposition: EgressRule = (destination, index) => {
  const value = destination.config?.write_disposition;
  if (value === undefined || (WRITE_DISPOSITIONS as readonly unknown[]).includes(value)) return [];
  return [
    {
      segments: at(index, 'config', 'write_disposition'),
      message: `must be one of ${WRITE_DISPOSITIONS.map((d) => `"${d}"`).join(', ')} (got ${describeValue(value)})`,
    },
  ];
};

/**
 * The `config` block must satisfy the sink type's own schema. An unknown key directly under `config` is
 * reported with the keys the sink type accepts, when its schema is an object schema.
 */
export const sinkConfigMatchesSchema: EgressRule = (destination, index, { sinks }) => {
  const schema = sinks.get(destination.sink_type)?.configSchema;
  if (!schema) return [];
  const config = destination.config ?? {};
  const parsed = schema.safeParse(config);
  if (parsed.success) return [];
  const prefix = at(index, 'config');
  const shape = (schema as { shape?: unknown }).shape;
  const allowed = isPlainObject(shape) ? Object.keys(shape).join(', ') : undefined;
  return fromZodIssues(parsed.error.issues, config, prefix).map((issue) => {
    const key = issue.segments[prefix.length];
    const unknown = issue.segments.length === prefix.length + 1 && issue.message === `unknown key "${String(key)}"`;
    return unknown && allowed ? { ...issue, message: `${issue.message} (allowed keys: ${allowed})` } : issue;
  });
};

/** The sink type must declare the disposition (when it declares any: `capabilities.dispositions`). */
export const supportedDisposition: EgressRule = (destination, index, { sinks }) => {
  const supported = sinks.get(destination.sink_type)?.capabilities?.dispositions;
  const value = destination.config?.write_disposition;
  if (supported === undefined || value === undefined || !(WRITE_DISPOSITIONS as readonly unknown[]).includes(value))
    return [];
  if (supported.includes(value as string)) return [];
  return [
    {
      segments: at(index, 'config', 'write_disposition'),
      message: `sink type "${destination.sink_type}" does not support "${String(value)}" (it supports: ${supported.join(', ')})`,
    },
  ];
};

/** The sink type's own cross-field checks (`descriptor.check`), once its schema passed. */
export const sinkChecksPass: EgressRule = (destination, index, { sinks }) => {
  const descriptor = sinks.get(destination.sink_type);
  if (descriptor?.check === undefined) return [];
  const raw = destination.config ?? {};
  const parsed = descriptor.configSchema?.safeParse(raw);
  if (parsed !== undefined && !parsed.success) return [];
  const config = parsed?.success && isPlainObject(parsed.data) ? parsed.data : { ...raw };
  return descriptor
    .check({ config, disposition: dispositionOf(raw), sync: plannedSync(destination) })
    .map((issue) => ({ segments: [...at(index), ...issue.path.split('.')], message: issue.message }));
};

/** A source table must be named and, when a resolver is given, exist. */
export const sourceTableExists: EgressRule = (destination, index, { resolveTable }) => {
  const table = destination.source_table;
  if (table === undefined) {
    return [
      {
        segments: at(index, 'source_table'),
        message: 'is required to push this destination: name the Gold table to read, e.g. "gold.customers"',
      },
    ];
  }
  if (!resolveTable) return [];
  try {
    return resolveTable(table)
      ? []
      : [{ segments: at(index, 'source_table'), message: `table "${table}" was not found in the catalog` }];
  } catch (error) {
    return [
      { segments: at(index, 'source_table'), message: `could not check table "${table}": ${(error as Error).message}` },
    ];
  }
};

/** Every destination rule, in reporting order. */
export const EGRESS_RULES: readonly EgressRule[] = [
  approvedSinkType,
  availableSinkType,
  knownDisposition,
  supportedDisposition,
  sinkConfigMatchesSchema,
  ...SYNC_RULES,
  sinkChecksPass,
  sourceTableExists,
];

/** The destination's disposition (valid once {@link knownDisposition} passed). */
export function dispositionOf(config: Readonly<Record<string, unknown>> | undefined): WriteDisposition {
  const value = config?.write_disposition;
  return (WRITE_DISPOSITIONS as readonly unknown[]).includes(value) ? (value as WriteDisposition) : 'append';
}

/** The plan's `config`: the sink schema's output when it has one, else a copy of the raw block. */
export function plannedConfig(
  destination: DestinationConfig,
  descriptor: SinkTypeDescriptor | undefined,
): Record<string, unknown> {
  const raw = destination.config ?? {};
  const parsed = descriptor?.configSchema?.safeParse(raw);
  return parsed?.success && isPlainObject(parsed.data) ? parsed.data : { ...raw };
}
