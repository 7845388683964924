import { IcebergCatalogError, IcebergNotFoundError, LakehouseConfigError } from '../../errors.js';
import type { RestCatalogSourceConfig } from '../../source-config.js';
import type { Fetcher } from '../io/http-fetch.js';
import { parseJson } from '../util/parse-json.js';
import { asRecord } from '../util/values.js';

/**
 * Resolves a secret reference at runtime, e.g. from a secret manager or mounted files:
 * `resolveSecret('polaris-credentials', 'client_secret')`.
 */
export type SecretResolver = (ref: string, key: string) => string | Promise<string>;

/** Vended storage credentials for locations under `prefix`. */
export interface StorageCredential {
  prefix: string;
  config: Record<string, string>;
}

/** The parts of a REST `loadTable` answer this reader uses. */
export interface LoadedTable {
  metadataLocation: string;
  metadata: unknown;
  config: Record<string, string>;
  storageCredentials: StorageCredential[];
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(value) ?? {})) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

function jsonObject(text: string, what: string): Record<string, unknown> {
  try {
    const value = asRecord(JSON.parse(text));
    if (value) return value;
  } catch {
    // reported below
  }
  throw new IcebergCatalogError(`The Iceberg catalog answered ${what} with invalid JSON`, 502);
}

/** Splits `ns.table` / `a.b.table` (or takes `[...namespace, table]`). */
export function parseIdentifier(identifier: string | readonly string[]): { namespace: string[]; name: string } {
  const parts = typeof identifier === 'string' ? identifier.split('.') : [...identifier];
  const name = parts.pop();
  if (!name || parts.length === 0 || parts.some((p) => p === '')) {
    throw new LakehouseConfigError(
      `Table identifier must look like "namespace.table", got ${JSON.stringify(identifier)}`,
      {
        keyPath: 'identifier',
      },
    );
  }
  return { namespace: parts, name };
}

/** Minimal Iceberg REST catalog client: OAuth2 client credentials, `GET /v1/config`, loadTable. */
export class RestCatalogClient {
  private token: { value: string; expiresAt: number } | undefined;
  private base: { uri: string; prefix: string } | undefined;

  constructor(
    private readonly source: RestCatalogSourceConfig,
    private readonly resolveSecret: SecretResolver | undefined,
    private readonly fetcher: Fetcher = (url, init) => fetch(url, init),
  ) {}

  private async request(url: string, init: RequestInit, what: string): Promise<{ status: number; text: string }> {
    let response: Response;
    try {
      response = await this.fetcher(url, init);
    } catch (cause) {
      if (init.signal?.aborted) throw init.signal.reason;
      throw new IcebergCatalogError(
        `Cannot reach the Iceberg catalog for ${what} (${url}): ${(cause as Error).message}`,
        0,
        { cause },
      );
    }
    const text = await response.text();
    if (response.ok) return { status: response.status, text };
    let detail = text.slice(0, 300);
    try {
      const err = asRecord(asRecord(JSON.parse(text))?.error);
      if (err && typeof err.message === 'string') detail = `${String(err.type ?? '')} ${err.message}`.trim();
    } catch {
      // not JSON: keep the raw text
    }
    if (response.status === 404 && what.startsWith('loadTable')) {
      throw new IcebergNotFoundError(
        what.slice('loadTable '.length),
        `Table ${what.slice('loadTable '.length)} not found in the catalog: ${detail}`,
      );
    }
    throw new IcebergCatalogError(
      `Iceberg catalog ${what} failed with HTTP ${response.status}: ${detail}`,
      response.status,
    );
  }

  private async authHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    const oauth = this.source.oauth2;
    if (!oauth) return {};
    if (this.token && this.token.expiresAt > Date.now() + 30_000)
      return { authorization: `Bearer ${this.token.value}` };
    if (!this.resolveSecret) {
      throw new LakehouseConfigError('This catalog uses OAuth2: pass resolveSecret to resolve client_secret_ref', {
        keyPath: 'resolveSecret',
      });
    }
    const secret = await this.resolveSecret(oauth.client_secret_ref, 'client_secret');
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: oauth.client_id,
      client_secret: secret,
      scope: oauth.scope,
    });
    const { text } = await this.request(
      oauth.token_url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        ...(signal ? { signal } : {}),
      },
      'OAuth2 token request',
    );
    const answer = jsonObject(text, 'the OAuth2 token request');
    if (typeof answer.access_token !== 'string') {
      throw new IcebergCatalogError('The OAuth2 token endpoint returned no access_token', 502);
    }
    const expiresIn = typeof answer.expires_in === 'number' ? answer.expires_in : 3600;
    this.token = { value: answer.access_token, expiresAt: Date.now() + expiresIn * 1000 };
    return { authorization: `Bearer ${this.token.value}` };
  }

  private async resolveBase(signal?: AbortSignal): Promise<{ uri: string; prefix: string }> {
    if (this.base) return this.base;
    const query = this.source.warehouse ? `?warehouse=${encodeURIComponent(this.source.warehouse)}` : '';
    const headers = { accept: 'application/json', ...(await this.authHeaders(signal)) };
    const { text } = await this.request(
      `${this.source.uri}/v1/config${query}`,
      { headers, ...(signal ? { signal } : {}) },
      'GET /v1/config',
    );
    const config = jsonObject(text, 'GET /v1/config');
    const merged = { ...stringMap(config.defaults), ...stringMap(config.overrides) };
    this.base = { uri: (merged.uri ?? this.source.uri).replace(/\/+$/, ''), prefix: merged.prefix ?? '' };
    return this.base;
  }

  /** `GET /v1/{prefix}/namespaces/{ns}/tables/{table}` with vended-credentials delegation. */
  async loadTable(identifier: string | readonly string[], signal?: AbortSignal): Promise<LoadedTable> {
    const { namespace, name } = parseIdentifier(identifier);
    const { uri, prefix } = await this.resolveBase(signal);
    const ns = encodeURIComponent(namespace.join('\u001f'));
    const url = `${uri}/v1/${prefix ? `${prefix.replace(/^\/+|\/+$/g, '')}/` : ''}namespaces/${ns}/tables/${encodeURIComponent(name)}`;
    const headers = {
      accept: 'application/json',
      'x-iceberg-access-delegation': 'vended-credentials',
      ...(await this.authHeaders(signal)),
    };
    const { text } = await this.request(
      url,
      { headers, ...(signal ? { signal } : {}) },
      `loadTable ${[...namespace, name].join('.')}`,
    );
    const body = asRecord(parseJson(text, url)) ?? {};
    const metadataLocation = body['metadata-location'];
    if (typeof metadataLocation !== 'string' || asRecord(body.metadata) === undefined) {
      throw new IcebergCatalogError(
        `loadTable answer for ${[...namespace, name].join('.')} has no metadata-location / metadata`,
        502,
      );
    }
    const storageCredentials = (Array.isArray(body['storage-credentials']) ? body['storage-credentials'] : []).map(
      (raw) => {
        const c = asRecord(raw) ?? {};
        return { prefix: String(c.prefix ?? ''), config: stringMap(c.config) };
      },
    );
    return { metadataLocation, metadata: body.metadata, config: stringMap(body.config), storageCredentials };
  }
}
