import { LakehouseConfigError } from './errors.js';
import { assertNoInlineCredentials } from './internal/catalog/inline-secrets.js';
import { toLocalPath } from './internal/io/local-file-io.js';
import { asRecord } from './internal/util/values.js';

/** OAuth2 client-credentials settings of a REST catalog; the secret is only ever a reference. */
export interface OAuth2SourceConfig {
  client_id: string;
  /** Secret reference resolved at runtime through `resolveSecret(client_secret_ref, 'client_secret')`. */
  client_secret_ref: string;
  /** Token endpoint (default `<uri>/v1/oauth/tokens`). */
  token_url: string;
  /** OAuth2 scope (default `PRINCIPAL_ROLE:ALL` for Polaris, `catalog` otherwise). */
  scope: string;
}

/** S3 access settings (credentials are never part of the config: `AWS_*` env or catalog vending). */
export interface S3SourceConfig {
  endpoint?: string;
  region?: string;
  /** Path-style addressing; defaults to true when an endpoint is set, false for AWS. */
  path_style: boolean;
}

/** Gold layer behind an Apache Polaris / Iceberg REST catalog. */
export interface RestCatalogSourceConfig {
  kind: 'rest';
  /** Catalog flavour as declared in the manifest. */
  type: 'polaris' | 'rest';
  /** Catalog base URI, e.g. `http://polaris:8181/api/catalog` (requests go to `<uri>/v1/...`). */
  uri: string;
  /** Warehouse (Polaris catalog name), sent to `GET /v1/config?warehouse=`. */
  warehouse?: string;
  /** Absent when the catalog needs no authentication. */
  oauth2?: OAuth2SourceConfig;
  s3: S3SourceConfig;
}

/** Gold layer in a local file-system warehouse (`<warehouse>/<namespace>/<table>`). */
export interface LocalSourceConfig {
  kind: 'local';
  /** Folder of the warehouse (a `file://` URI is converted to a path). */
  warehouse: string;
}

/** Where and how to read the Gold layer; discriminated by `kind`. */
export type SourceConfig = RestCatalogSourceConfig | LocalSourceConfig;

/** Dotted key path: `kp('config', 'uri')` → `config.uri`, `kp('', 'uri')` → `uri`. */
function kp(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function str(obj: Record<string, unknown> | undefined, key: string, path: string): string | undefined {
  const v = obj?.[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string')
    throw new LakehouseConfigError(`"${kp(path, key)}" must be a string`, { keyPath: kp(path, key) });
  return v;
}

function bool(value: unknown, keyPath: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new LakehouseConfigError(`"${keyPath}" must be a boolean`, { keyPath });
}

function restConfig(
  cfg: Record<string, unknown>,
  path: string,
  type: 'polaris' | 'rest',
  secretRef: string | undefined,
): RestCatalogSourceConfig {
  const uri = str(cfg, 'uri', path);
  if (!uri || !/^https?:\/\//i.test(uri)) {
    throw new LakehouseConfigError(`"${kp(path, 'uri')}" must be the http(s) URI of the ${type} catalog`, {
      keyPath: kp(path, 'uri'),
    });
  }
  const base = uri.replace(/\/+$/, '');
  const oauth = asRecord(cfg.oauth2);
  const s3 = asRecord(cfg.s3);
  const oauthPath = kp(path, 'oauth2');
  const s3Path = kp(path, 's3');
  const clientId = str(cfg, 'client_id', path) ?? str(oauth, 'client_id', oauthPath);
  const clientSecretRef =
    str(cfg, 'client_secret_ref', path) ?? str(oauth, 'client_secret_ref', oauthPath) ?? secretRef;
  if (clientId && !clientSecretRef) {
    throw new LakehouseConfigError(
      `"${kp(path, 'client_secret_ref')}" (or connection_secret_ref) is required with client_id`,
      {
        keyPath: kp(path, 'client_secret_ref'),
      },
    );
  }
  if (!clientId && clientSecretRef) {
    throw new LakehouseConfigError(`"${kp(path, 'client_id')}" is required with a client secret reference`, {
      keyPath: kp(path, 'client_id'),
    });
  }
  const endpoint = str(cfg, 's3_endpoint', path) ?? str(s3, 'endpoint', s3Path) ?? str(cfg, 's3.endpoint', path);
  const region = str(cfg, 's3_region', path) ?? str(s3, 'region', s3Path) ?? str(cfg, 'client.region', path);
  const pathStyle =
    bool(cfg.s3_path_style, kp(path, 's3_path_style')) ??
    bool(s3?.path_style, kp(s3Path, 'path_style')) ??
    bool(cfg['s3.path-style-access'], kp(path, 's3.path-style-access'));
  const result: RestCatalogSourceConfig = {
    kind: 'rest',
    type,
    uri: base,
    s3: {
      ...(endpoint ? { endpoint } : {}),
      ...(region ? { region } : {}),
      path_style: pathStyle ?? endpoint !== undefined,
    },
  };
  const warehouse = str(cfg, 'warehouse', path);
  if (warehouse) result.warehouse = warehouse;
  if (clientId && clientSecretRef) {
    result.oauth2 = {
      client_id: clientId,
      client_secret_ref: clientSecretRef,
      token_url: str(cfg, 'token_url', path) ?? str(oauth, 'token_url', oauthPath) ?? `${base}/v1/oauth/tokens`,
      scope:
        str(cfg, 'scope', path) ??
        str(oauth, 'scope', oauthPath) ??
        (type === 'polaris' ? 'PRINCIPAL_ROLE:ALL' : 'catalog'),
    };
  }
  return result;
}

/**
 * Turns a catalog configuration into the {@link SourceConfig} used to read the Gold layer.
 *
 * Accepted input (`catalogConfig`):
 * - the manifest.yaml `plugins.catalog` wrapper: `{ type: 'polaris' | 'rest' | 'local', config: {...},
 *   connection_secret_ref?: string }` — `connection_secret_ref` is the OAuth2 client secret reference
 *   unless `config.client_secret_ref` is set;
 * - the bare `config` object (the kind is inferred: `uri` → REST, else `warehouse` → local; an optional
 *   `type` key is honoured);
 * - an already normalised SourceConfig (`kind: 'rest' | 'local'`), returned re-validated.
 *
 * REST keys: `uri` (required), `warehouse`, `client_id`, `client_secret_ref`, `token_url`, `scope`,
 * `s3_endpoint`, `s3_region`, `s3_path_style`; the nested forms `oauth2: {client_id, client_secret_ref,
 * token_url, scope}` and `s3: {endpoint, region, path_style}` are accepted too. Local keys: `warehouse`.
 *
 * Inline credentials anywhere in the input (`client_secret`, `credential`, `token`, `password`, access /
 * secret keys, session tokens…) are refused with a {@link LakehouseConfigError} naming the key path.
 *
 * @example
 * const source = getSourceConfig({
 *   type: 'polaris',
 *   config: { uri: 'http://polaris:8181/api/catalog', warehouse: 'gold', client_id: 'floe', scope: 'PRINCIPAL_ROLE:ALL',
 *             s3_endpoint: 'http://minio:9000', s3_region: 'us-east-1', s3_path_style: true },
 *   connection_secret_ref: 'polaris-credentials',
 * });
 * // { kind: 'rest', type: 'polaris', uri: 'http://polaris:8181/api/catalog', warehouse: 'gold',
 * //   oauth2: { client_id: 'floe', client_secret_ref: 'polaris-credentials', token_url: '.../v1/oauth/tokens', scope: 'PRINCIPAL_ROLE:ALL' },
 * //   s3: { endpoint: 'http://minio:9000', region: 'us-east-1', path_style: true } }
 */
export function getSourceConfig(catalogConfig: Record<string, unknown>): SourceConfig {
  if (asRecord(catalogConfig) === undefined)
    throw new LakehouseConfigError('The catalog configuration must be an object');
  assertNoInlineCredentials(catalogConfig);
  const inner = asRecord(catalogConfig.config);
  const wrapped = inner !== undefined && catalogConfig.kind === undefined;
  const cfg = wrapped ? inner : catalogConfig;
  const path = wrapped ? 'config' : '';
  const secretRef = wrapped ? str(catalogConfig, 'connection_secret_ref', '') : undefined;
  const declared = (wrapped ? catalogConfig.type : (cfg.kind ?? cfg.type)) as unknown;
  const kind = declared ?? (cfg.uri !== undefined ? 'rest' : cfg.warehouse !== undefined ? 'local' : undefined);
  switch (kind) {
    case 'polaris':
    case 'rest': {
      const type =
        kind === 'polaris' || cfg.type === 'polaris' || catalogConfig.type === 'polaris' ? 'polaris' : 'rest';
      return restConfig(cfg, path, type, secretRef);
    }
    case 'local': {
      const warehouse = str(cfg, 'warehouse', path);
      if (!warehouse) {
        throw new LakehouseConfigError(`"${kp(path, 'warehouse')}" is required for a local catalog`, {
          keyPath: kp(path, 'warehouse'),
        });
      }
      return { kind: 'local', warehouse: toLocalPath(warehouse) };
    }
    case undefined:
      throw new LakehouseConfigError(
        'Cannot tell the catalog kind: set type (polaris, rest or local), a uri, or a warehouse',
        { keyPath: 'type' },
      );
    default:
      throw new LakehouseConfigError(
        `Unsupported catalog type ${JSON.stringify(kind)} (supported: polaris, rest, local)`,
        {
          keyPath: wrapped ? 'type' : 'kind',
        },
      );
  }
}
