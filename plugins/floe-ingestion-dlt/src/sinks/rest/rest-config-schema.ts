import { z } from 'zod';
import { DESTINATION_ID_TEMPLATE, pathTemplates } from './rest-path-template.js';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Header names that carry credentials: they belong in the secret, never in floe.yaml. */
const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
]);

/** Query parameter names that carry credentials (compared lower-cased, `-` read as `_`). */
const CREDENTIAL_PARAMETERS = new Set([
  'api_key',
  'apikey',
  'key',
  'token',
  'access_token',
  'auth_token',
  'id_token',
  'refresh_token',
  'session_token',
  'password',
  'passwd',
  'pwd',
  'secret',
  'client_secret',
  'signature',
  'sig',
  'auth',
  'authorization',
  'credentials',
]);

/** Where a URL's credentials belong instead. */
const USE_THE_SECRET = 'put it in the connection secret (connection_secret_ref), which floe never prints';

/**
 * Why a URL (or path) must not be written as it is: user-info (`https://user:pass@host`) or a query parameter
 * named like a credential (`?api_key=…`). Never repeats the credential itself.
 *
 * @example
 * ```ts
 * urlCredentialProblem('https://api.example.com/v1?api_key=k'); // 'query parameter "api_key" holds a credential: …'
 * ```
 */
export function urlCredentialProblem(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(value)) {
    return `holds credentials (user:password@ before the host): ${USE_THE_SECRET} as username + password or token`;
  }
  const query = value.split('#')[0]?.split('?').slice(1).join('?') ?? '';
  for (const pair of query.split('&')) {
    const raw = pair.split('=')[0] ?? '';
    let name = raw;
    try {
      name = decodeURIComponent(raw);
    } catch {
      // Not valid percent-encoding: compare the raw name.
    }
    const normalised = name.toLowerCase().replace(/-/g, '_');
    if (CREDENTIAL_PARAMETERS.has(normalised) || /_(token|secret|password|api_key|apikey)$/.test(normalised)) {
      return `query parameter "${name}" holds a credential: ${USE_THE_SECRET} (api_key, with api_key_header, or token)`;
    }
  }
  return undefined;
}

const millis = z.number().int().min(0);

/** What an endpoint URL must be, with an example (other schemes, e.g. `ftp://`, are refused). */
const HTTP_URL_MESSAGE = 'must be an http:// or https:// URL with a host, e.g. https://api.example.com/v1/contacts';

/** `retry:` of a rest_api destination (defaults: 5 attempts, 500 ms → 30 s). */
export const restRetrySchema = z.strictObject({
  max_attempts: z.number().int().min(1).max(100).optional(),
  initial_delay_ms: millis.optional(),
  max_delay_ms: millis.optional(),
});

/** `circuit_breaker:` of a rest_api destination (defaults: 10 consecutive failures, 30 s). */
export const restCircuitBreakerSchema = z.strictObject({
  threshold: z.number().int().min(1).max(1000).optional(),
  half_open_after_ms: millis.optional(),
});

/** The named operations of a sync (`sync.mode`), each its own endpoint under `base_url`. */
export const REST_OPERATIONS = Object.freeze(['insert', 'update', 'upsert', 'delete', 'archive'] as const);

/** One of {@link REST_OPERATIONS}. */
export type RestOperationName = (typeof REST_OPERATIONS)[number];

/** Operations whose rows are records synced before: the only ones whose path may hold `{id}`. */
const ID_OPERATIONS: ReadonlySet<RestOperationName> = new Set(['update', 'delete', 'archive']);

/**
 * One named operation (`insert:`, `update:`, `upsert:`, `delete:`, `archive:`): its method and its path, appended
 * to `base_url`. A path with templates (`{id}`: the destination's id of the record; `{<field>}`: a mapped field's
 * value, URL-encoded) sends one request per row; otherwise rows are sent in bodies shaped by `body` (default: the
 * top-level `body`; `wrapped` under `wrap_key`, default the top-level one, else `data`).
 */
export const restOperationSchema = z.strictObject({
  method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().min(1),
  body: z.enum(['array', 'wrapped', 'record']).optional(),
  wrap_key: z.string().min(1).optional(),
});

/** A parsed named operation. */
export type RestOperationConfig = z.output<typeof restOperationSchema>;

const fields = {
  /** Full endpoint URL. Give `url`, or `base_url` + `path`. */
  url: z.url({ protocol: /^https?$/, message: HTTP_URL_MESSAGE }).optional(),
  base_url: z.url({ protocol: /^https?$/, message: HTTP_URL_MESSAGE }).optional(),
  path: z.string().min(1).optional(),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  /** Extra request headers (no credentials: those come from the secret). */
  headers: z.record(z.string().regex(HEADER_NAME, 'must be a valid HTTP header name'), z.string()).optional(),
  /** `array`: `[{…},…]`; `wrapped`: `{"<wrap_key>":[…]}`; `record`: one record per request. */
  body: z.enum(['array', 'wrapped', 'record']).default('array'),
  wrap_key: z.string().min(1).optional(),
  /**
   * When a batch API refuses a whole `array` / `wrapped` request (400 / 422), resend it in halves, each with its
   * own idempotency key, until the refused rows are isolated; they are rejected, the others delivered. Default
   * true for `array` and `wrapped`; not applicable to `record` (one row per request already).
   */
  split_on_reject: z.boolean().optional(),
  /**
   * Largest request body the API accepts, in bytes (e.g. its gateway's limit). A batch whose body would be larger
   * is sent as several requests, each within it and with its own idempotency key; a single record larger than it
   * is rejected (PERMANENT, the reason names its size and the limit) instead of being sent. Default: no limit.
   */
  max_body_bytes: z.number().int().min(64).optional(),
  /** Dotted path of the id in each record the API returns, e.g. `id` or `data.id`. */
  record_id_path: z
    .string()
    .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a dotted path like "id" or "data.id"')
    .optional(),
  requests_per_second: z.number().positive().max(100_000).optional(),
  max_concurrency: z.number().int().min(1).max(64).default(1),
  /**
   * Worker threads that encode request bodies from Arrow while the main thread sends; 0 encodes on the main
   * thread. Default: 1 on a machine with more than 2 cores, else 0 (on 2 cores the thread competes with the
   * sending thread). Used for batches of at least 64 rows with `body: array` or `wrapped`.
   */
  encode_threads: z.number().int().min(0).max(16).optional(),
  timeout_ms: z.number().int().min(1).max(3_600_000).default(30_000),
  retry: restRetrySchema.optional(),
  circuit_breaker: restCircuitBreakerSchema.optional(),
  /** Header carrying the API key from the secret's `api_key` (default `X-API-Key`). */
  api_key_header: z.string().regex(HEADER_NAME, 'must be a valid HTTP header name').default('X-API-Key'),
  /** Header carrying each batch's idempotency key (default `Idempotency-Key`). */
  idempotency_header: z.string().regex(HEADER_NAME, 'must be a valid HTTP header name').default('Idempotency-Key'),
  /** How 64-bit integers are written: `number` (exact digits, default), `string`, `auto`. */
  int64: z.enum(['number', 'string', 'auto']).default('number'),
  /** How decimals are written: `number` (exact digits, default) or `string`. */
  decimal: z.enum(['number', 'string']).default('number'),
  naming_convention: z.enum(['direct', 'snake_case']).default('direct'),
  /**
   * `append` (default) or `merge` (the endpoint upserts, e.g. PUT/PATCH by id: rows are sent the same way).
   * `replace` is refused: a set of remote records cannot be swapped atomically over HTTP.
   */
  write_disposition: z
    .enum(['append', 'merge'], { message: 'rest_api supports append or merge (an upserting endpoint), not replace' })
    .optional(),
  insert: restOperationSchema.optional(),
  update: restOperationSchema.optional(),
  upsert: restOperationSchema.optional(),
  delete: restOperationSchema.optional(),
  archive: restOperationSchema.optional(),
};

type ConfigShape = {
  url?: string | undefined;
  base_url?: string | undefined;
  path?: string | undefined;
  body: string;
  wrap_key?: string | undefined;
  split_on_reject?: boolean | undefined;
  headers?: Record<string, string> | undefined;
  retry?: { initial_delay_ms?: number | undefined; max_delay_ms?: number | undefined } | undefined;
} & { [K in RestOperationName]?: RestOperationConfig | undefined };

/** Cross-field rules, one small function each (`path: message`). */
const RULES: readonly ((config: ConfigShape, ctx: z.RefinementCtx) => void)[] = [
  function oneEndpoint(config, ctx) {
    if (config.url === undefined && config.base_url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'give url, or base_url and path' });
    }
    if (config.url !== undefined && config.base_url !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['base_url'], message: 'give url or base_url, not both' });
    }
    if (config.path !== undefined && config.base_url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'path needs base_url' });
    }
  },
  function wrapKeyOnlyWhenWrapped(config, ctx) {
    if (config.wrap_key !== undefined && config.body !== 'wrapped') {
      ctx.addIssue({ code: 'custom', path: ['wrap_key'], message: 'only with body: wrapped' });
    }
  },
  function splitOnlyForBatchBodies(config, ctx) {
    if (config.split_on_reject === true && config.body === 'record') {
      ctx.addIssue({
        code: 'custom',
        path: ['split_on_reject'],
        message: 'only with body: array or wrapped (a record request holds one row)',
      });
    }
  },
  function noCredentialsInUrl(config, ctx) {
    for (const key of ['url', 'base_url', 'path'] as const) {
      const message = urlCredentialProblem(config[key]);
      if (message !== undefined) ctx.addIssue({ code: 'custom', path: [key], message });
    }
    for (const name of REST_OPERATIONS) {
      const message = urlCredentialProblem(config[name]?.path);
      if (message !== undefined) ctx.addIssue({ code: 'custom', path: [name, 'path'], message });
    }
  },
  function operationsUnderBaseUrl(config, ctx) {
    for (const name of REST_OPERATIONS) {
      if (config[name] === undefined || config.base_url !== undefined) continue;
      ctx.addIssue({
        code: 'custom',
        path: [name, 'path'],
        message: `is appended to base_url: set base_url (e.g. https://api.example.com/v1) instead of url, or remove ${name}`,
      });
    }
    if (config.upsert !== undefined && config.path !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['upsert'],
        message: 'the top-level path is the upsert operation already: remove path, or remove upsert',
      });
    }
  },
  function operationPaths(config, ctx) {
    for (const name of REST_OPERATIONS) {
      const operation = config[name];
      if (operation === undefined) continue;
      const templates = pathTemplates(operation.path);
      if ('problem' in templates) {
        ctx.addIssue({ code: 'custom', path: [name, 'path'], message: templates.problem });
        continue;
      }
      if (templates.names.includes(DESTINATION_ID_TEMPLATE) && !ID_OPERATIONS.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name, 'path'],
          message: `template {id} is the destination's id of a record synced before, unknown for a new one: use it in update, delete or archive paths, or name a mapped field, e.g. {email}`,
        });
      }
      const body = operation.body ?? config.body;
      if (templates.names.length > 0 && operation.body !== undefined && operation.body !== 'record') {
        ctx.addIssue({
          code: 'custom',
          path: [name, 'body'],
          message: 'a path with a template sends one request per row: remove body, or set body: record',
        });
      }
      if (operation.wrap_key !== undefined && body !== 'wrapped') {
        ctx.addIssue({ code: 'custom', path: [name, 'wrap_key'], message: 'only with body: wrapped' });
      }
    }
  },
  function noCredentialHeaders(config, ctx) {
    for (const name of Object.keys(config.headers ?? {})) {
      if (CREDENTIAL_HEADERS.has(name.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['headers', name],
          message: 'credentials come from the connection secret, not from headers',
        });
      }
    }
  },
  function delaysInOrder(config, ctx) {
    const { initial_delay_ms: initial, max_delay_ms: max } = config.retry ?? {};
    if (initial !== undefined && max !== undefined && initial > max) {
      ctx.addIssue({ code: 'custom', path: ['retry', 'initial_delay_ms'], message: 'must not exceed max_delay_ms' });
    }
  },
];

function applyRules(config: ConfigShape, ctx: z.RefinementCtx): void {
  for (const rule of RULES) rule(config, ctx);
}

/**
 * The `config:` block of a `rest_api` destination in floe.yaml (snake_case keys; no credentials).
 *
 * @example
 * ```ts
 * restApiConfigSchema.parse({ url: 'https://api.example.com/v1/contacts', body: 'array', record_id_path: 'id' });
 * ```
 */
export const restApiConfigSchema = z.strictObject(fields).superRefine(applyRules);

/** Secret keys a rest_api connection secret may hold (merged over `config` by the CLI). */
export const restApiSecretFields = {
  token: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  api_key: z.string().min(1).optional(),
};

/** `SinkConfig.connectionConfig` of a rest_api sink: the config block plus the resolved secret keys. */
export const restApiConnectionSchema = z
  .strictObject({ ...fields, ...restApiSecretFields })
  .superRefine(applyRules)
  .superRefine(function oneAuthMethod(config, ctx) {
    for (const issue of restAuthIssues(config)) {
      ctx.addIssue({ code: 'custom', path: issue.key === undefined ? [] : [issue.key], message: issue.message });
    }
  });

/** The credential keys of a rest_api secret. */
export interface RestAuthKeys {
  readonly token?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly api_key?: string | undefined;
}

/**
 * Problems of a rest_api secret's credentials: more than one method, or half of a basic credential
 * (`key`: the secret key at fault, absent for the whole secret).
 */
export function restAuthIssues(secret: RestAuthKeys): { readonly key?: string; readonly message: string }[] {
  const issues: { key?: string; message: string }[] = [];
  const methods = [
    secret.token !== undefined,
    secret.username !== undefined || secret.password !== undefined,
    secret.api_key !== undefined,
  ];
  if (methods.filter(Boolean).length > 1) {
    issues.push({ message: 'the secret must hold one of: token, username + password, api_key' });
  }
  if ((secret.username === undefined) !== (secret.password === undefined)) {
    issues.push({
      key: secret.username === undefined ? 'username' : 'password',
      message: 'basic auth needs both username and password',
    });
  }
  return issues;
}

/** A parsed rest_api `config` block. */
export type RestApiConfig = z.output<typeof restApiConfigSchema>;
/** A parsed rest_api connection config (config + secret). */
export type RestApiConnection = z.output<typeof restApiConnectionSchema>;
