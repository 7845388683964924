import type { SinkTypeDescriptor } from '@floe/core';
import type { ResolvedSecret } from '../secrets/resolve-secret.js';

/**
 * The secret values a sink receives in its connection config, as its descriptor resolves them against
 * floe.yaml's folder (e.g. a relative SQLite file made absolute; a path is not a credential).
 */
export function connectionValues(
  descriptor: SinkTypeDescriptor | undefined,
  secret: ResolvedSecret,
  baseDir: string,
): Record<string, string> {
  return descriptor?.resolveConnection?.(secret.values, { baseDir }) ?? { ...secret.values };
}

/** Where a destination sends rows, in words, without secrets (the descriptor's words, else the sink type). */
export function describeTarget(
  descriptor: SinkTypeDescriptor | undefined,
  sinkType: string,
  config: Readonly<Record<string, unknown>>,
  connection?: Readonly<Record<string, string>>,
): string {
  return descriptor?.describeTarget?.(config, connection) ?? sinkType;
}
