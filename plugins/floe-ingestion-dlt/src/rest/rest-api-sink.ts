import type { SinkTypeDescriptor } from '@floe/core';
import { restApiConfigSchema } from './rest-config-schema.js';

/**
 * The `rest_api` sink type: push rows as JSON to an HTTP endpoint (POST/PUT/PATCH), in batches or one
 * record per request. Its `configSchema` checks floe.yaml's `config:` block (credentials come from the
 * connection secret: `token`, `username` + `password`, or `api_key`).
 */
export const restApiSink: SinkTypeDescriptor = Object.freeze({
  sinkType: 'rest_api',
  configSchema: restApiConfigSchema,
  description: 'Push rows as JSON to a REST/SaaS API (batched or per record, rate-limited, retried, idempotent)',
});
