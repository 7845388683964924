import type { ZodType } from 'zod';

/**
 * What a plugin says about one sink type it offers, so `compileEgress` can check floe.yaml
 * destinations before any I/O. Plugins export one per sink type next to their `SinkConnector`.
 *
 * @example
 * ```ts
 * export const restApiSink: SinkTypeDescriptor = {
 *   sinkType: 'rest_api',
 *   description: 'POST rows as JSON to an HTTP endpoint',
 *   configSchema: z.strictObject({ url: z.url(), write_disposition: z.enum(['append']).optional() }),
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
}

/** Normalises a list of sink type names and/or descriptors to descriptors. */
export function toSinkTypeDescriptors(sinks: readonly (string | SinkTypeDescriptor)[]): SinkTypeDescriptor[] {
  return sinks.map((sink) => (typeof sink === 'string' ? { sinkType: sink } : sink));
}
