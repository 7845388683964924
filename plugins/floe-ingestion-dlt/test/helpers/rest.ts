import { SinkConfig } from '@floe/core';
import { createRestApiDestination, type RestApiDeps } from '../../src/sinks/rest/index.js';
import type { Destination } from '../../src/engine/destination/destination.js';

/** A rest_api destination for a loopback target, with tiny retry delays. */
export function restDestination(
  connectionConfig: Record<string, unknown>,
  options: { batchSize?: number; name?: string; deps?: RestApiDeps; fieldMapping?: Record<string, string> } = {},
): Destination {
  return createRestApiDestination(
    new SinkConfig({
      sinkType: 'rest_api',
      name: options.name ?? 'crm-contacts',
      connectionConfig: { retry: { max_attempts: 3, initial_delay_ms: 1, max_delay_ms: 5 }, ...connectionConfig },
      ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
      ...(options.fieldMapping && { fieldMapping: options.fieldMapping }),
    }),
    options.deps,
  );
}

/** Parses JSON text keeping integers beyond 2^53 exact, as strings. */
export function parseExact(text: string): unknown {
  return JSON.parse(text.replace(/([:[,])(-?\d{16,})(?=[,\]}])/g, '$1"$2"'));
}
