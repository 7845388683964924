import type { SinkTypeDescriptor } from '@floe/core';
import { normalizeName } from '../../engine/destination/naming.js';
import { previewJsonRows } from '../../engine/destination/preview-rows.js';
import { checkRestApi } from './rest-api-checks.js';
import { REST_OPERATIONS, restApiConfigSchema } from './rest-config-schema.js';
import { testRestTarget } from './test-target.js';

/** The named operations, in words: `; update PATCH https://api.example.com/contacts/{id}`. */
function describeOperations(config: Readonly<Record<string, unknown>>): string {
  const base = typeof config.base_url === 'string' ? config.base_url.replace(/\/+$/, '') : '';
  return REST_OPERATIONS.flatMap((name) => {
    const operation = config[name] as { method?: unknown; path?: unknown } | undefined;
    if (typeof operation?.path !== 'string') return [];
    return [`; ${name} ${String(operation.method)} ${base}/${operation.path.replace(/^\/+/, '')}`];
  }).join('');
}

/**
 * Where a `rest_api` destination sends rows, in words: `POST https://api.example.com/contacts`, then its named
 * operations (`; delete DELETE https://api.example.com/contacts/{id}`).
 */
function describeRestTarget(config: Readonly<Record<string, unknown>>): string {
  const upsert = config.upsert as { method?: unknown; path?: unknown } | undefined;
  if (typeof upsert?.path === 'string') return describeOperations(config).slice(2);
  const method = typeof config.method === 'string' ? config.method.toUpperCase() : 'POST';
  const base = typeof config.base_url === 'string' ? config.base_url.replace(/\/+$/, '') : undefined;
  const path = typeof config.path === 'string' ? config.path.replace(/^\/+/, '') : '';
  const url =
    typeof config.url === 'string'
      ? config.url
      : base !== undefined
        ? path
          ? `${base}/${path}`
          : base
        : '(url not set)';
  return `${method} ${url}${describeOperations(config)}`;
}

/**
 * The `rest_api` sink type: push rows as JSON to an HTTP endpoint (POST/PUT/PATCH), in batches or one
 * record per request. Its `configSchema` checks floe.yaml's `config:` block; credentials come from the
 * connection secret (`token`, `username` + `password`, or `api_key`). Each batch carries an idempotency key,
 * so an API that honours it never applies a re-sent batch twice. A sync (`sync.mode`) sends each change row to its
 * named operation (`insert`, `update`, `upsert`, `delete`, `archive`, paths under `base_url`, `{id}` / `{<field>}`
 * templates sending one request per row); the top-level endpoint is the upsert.
 */
export const restApiSink: SinkTypeDescriptor = Object.freeze<SinkTypeDescriptor>({
  sinkType: 'rest_api',
  configSchema: restApiConfigSchema,
  description: 'Push rows as JSON to a REST/SaaS API (batched or per record, rate-limited, retried, idempotent)',
  exampleConfig: { url: 'https://api.example.com/v1/contacts', method: 'POST' },
  secret: {
    keys: ['token', 'username', 'password', 'api_key'],
    anyOf: [['token'], ['username', 'password'], ['api_key']],
  },
  capabilities: {
    dispositions: ['append', 'merge'],
    // No replace: a set of remote records cannot be swapped atomically over HTTP.
    syncModes: ['append', 'insert', 'update', 'upsert', 'mirror'],
    recordIds: true,
    perRowRejects: true,
    resumable: true,
    idempotentRequests: true,
  },
  check: checkRestApi,
  columnName: (config, name) =>
    normalizeName(name, config.naming_convention === 'snake_case' ? 'snake_case' : 'direct'),
  // The Basic credential the sink derives from username + password is as secret as they are.
  derivedSecrets: (connection) =>
    connection.username !== undefined && connection.password !== undefined
      ? [Buffer.from(`${connection.username}:${connection.password}`).toString('base64')]
      : [],
  // `body: record` sends each row on its own.
  rowsPerRequest: (config) => (config.body === 'record' ? 1 : undefined),
  describeTarget: (config) => describeRestTarget(config),
  encodeRows: previewJsonRows,
  // `floe destination test`: HEAD / OPTIONS / GET with the sink's credential, never a body.
  testTarget: testRestTarget,
});
