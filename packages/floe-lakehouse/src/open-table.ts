import { resolve as resolvePath } from 'node:path';
import { IcebergNotFoundError, LakehouseConfigError } from './errors.js';
import { IcebergTable } from './iceberg-table.js';
import { s3SettingsForTable } from './internal/catalog/catalog-storage.js';
import { parseIdentifier, RestCatalogClient, type SecretResolver } from './internal/catalog/rest-catalog-client.js';
import { joinLocation, schemeOf, type FileIO } from './internal/io/file-io.js';
import { toLocalPath } from './internal/io/local-file-io.js';
import { createPathResolver, tableRootOf } from './internal/io/path-resolver.js';
import { RoutingFileIO, type FileIOOptions } from './internal/io/routing-file-io.js';
import { CountingFileIO } from './internal/io/counting-file-io.js';
import { isMetadataFileLocation, locateMetadataFile, readTableMetadata } from './internal/metadata/locate-metadata.js';
import { parseTableMetadata, type TableMetadata } from './internal/metadata/table-metadata.js';
import type { SourceConfig } from './source-config.js';

/** S3 addressing for direct S3 locations (credentials only come from `AWS_*` env variables). */
export interface S3Options {
  /** Endpoint override, e.g. `http://127.0.0.1:9000`; default `AWS_ENDPOINT_URL_S3` / AWS. */
  endpoint?: string;
  /** Default `AWS_REGION` / `AWS_DEFAULT_REGION` / `us-east-1`. */
  region?: string;
  /** Path-style URLs; default true when an endpoint is set. */
  pathStyle?: boolean;
}

interface CommonOptions {
  /** Cancels opening (metadata and catalog requests). */
  signal?: AbortSignal;
  /** S3 addressing for `s3://` locations (REST catalogs take it from the source config). */
  s3?: S3Options;
  /** fetch implementation for http(s) locations and catalog requests (default: global fetch). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** Open a table folder (local path, `file://`, `http(s)://` or `s3://`) or a metadata.json given as location. */
export interface OpenByLocation extends CommonOptions {
  location: string;
}

/** Open a table from a specific `*.metadata.json` (local path or URI). */
export interface OpenByMetadata extends CommonOptions {
  metadataUri: string;
}

/** Open a table by identifier through a catalog from {@link getSourceConfig}. */
export interface OpenByCatalog extends CommonOptions {
  catalog: SourceConfig;
  /** `namespace.table` (multi-level namespaces: `a.b.table`) or `[...namespace, table]`. */
  identifier: string | readonly string[];
  /** Resolves `client_secret_ref` (called as `resolveSecret(ref, 'client_secret')`). Required for OAuth2 catalogs. */
  resolveSecret?: SecretResolver;
}

/** Options of {@link openTable}. */
export type OpenTableOptions = OpenByLocation | OpenByMetadata | OpenByCatalog;

/** Storage access of one table; counts the bytes it fetches ({@link IcebergTable.bytesRead}). */
function tableIO(options: FileIOOptions): FileIO {
  return new CountingFileIO(new RoutingFileIO(options));
}

function absolute(location: string): string {
  return schemeOf(location) === 'file' ? resolvePath(toLocalPath(location)) : location;
}

async function fromMetadata(
  io: FileIO,
  meta: TableMetadata,
  metadataLocation: string,
  signal?: AbortSignal,
  identifier?: string,
): Promise<IcebergTable> {
  const paths = await createPathResolver(io, meta.location, metadataLocation, signal);
  return new IcebergTable({
    io,
    paths,
    meta,
    metadataLocation,
    location: paths.moved ? tableRootOf(metadataLocation) : meta.location,
    ...(identifier ? { identifier } : {}),
  });
}

async function openLocal(options: OpenByCatalog & { catalog: { kind: 'local' } }, io: FileIO): Promise<IcebergTable> {
  const { namespace, name } = parseIdentifier(options.identifier);
  const warehouse = absolute(options.catalog.warehouse);
  const candidates = [
    joinLocation(warehouse, [...namespace, name].join('/')),
    joinLocation(warehouse, `${namespace.join('/')}.db/${name}`),
  ];
  for (const candidate of candidates) {
    const names = await io.list(joinLocation(candidate, 'metadata'), options.signal);
    if (names && names.length > 0) {
      const metadataLocation = await locateMetadataFile(io, candidate, options.signal);
      const meta = await readTableMetadata(io, metadataLocation, options.signal);
      return fromMetadata(io, meta, metadataLocation, options.signal, [...namespace, name].join('.'));
    }
  }
  throw new IcebergNotFoundError(
    [...namespace, name].join('.'),
    `Table ${[...namespace, name].join('.')} not found in warehouse "${warehouse}" (looked in ${candidates.map((c) => `"${c}"`).join(' and ')})`,
  );
}

/**
 * Opens an Iceberg table: by folder (`metadata/version-hint.text`, else the newest
 * `*.metadata.json`), by metadata file, or by identifier through a REST (Polaris) or local catalog.
 * Recorded locations that are unreachable (tables copied elsewhere) are resolved relative to the
 * table's own folder.
 *
 * @example
 * const table = await openTable({ location: '/data/warehouse/gold/customers' });
 * const byCatalog = await openTable({
 *   catalog: getSourceConfig(manifest.plugins.catalog),
 *   identifier: 'gold.customers',
 *   resolveSecret: (ref, key) => secrets.get(ref, key),
 * });
 */
export async function openTable(options: OpenTableOptions): Promise<IcebergTable> {
  const { signal } = options;
  const fetcher = options.fetch;
  if ('catalog' in options) {
    if (options.catalog.kind === 'local') {
      return openLocal(
        options as OpenByCatalog & { catalog: { kind: 'local' } },
        tableIO(fetcher ? { fetch: fetcher } : {}),
      );
    }
    const source = options.catalog;
    const client = new RestCatalogClient(source, options.resolveSecret, fetcher);
    const loaded = await client.loadTable(options.identifier, signal);
    const meta = parseTableMetadata(loaded.metadata, loaded.metadataLocation);
    const io = tableIO({
      s3: s3SettingsForTable(source, loaded, meta.location),
      ...(fetcher ? { fetch: fetcher } : {}),
    });
    const { namespace, name } = parseIdentifier(options.identifier);
    return fromMetadata(io, meta, loaded.metadataLocation, signal, [...namespace, name].join('.'));
  }
  const io = tableIO({ ...(options.s3 ? { s3: options.s3 } : {}), ...(fetcher ? { fetch: fetcher } : {}) });
  let metadataLocation: string;
  if ('metadataUri' in options) metadataLocation = absolute(options.metadataUri);
  else if ('location' in options && typeof options.location === 'string') {
    const location = absolute(options.location.replace(/\/+$/, ''));
    metadataLocation = isMetadataFileLocation(location) ? location : await locateMetadataFile(io, location, signal);
  } else {
    throw new LakehouseConfigError('openTable needs one of: location, metadataUri, or catalog + identifier');
  }
  const meta = await readTableMetadata(io, metadataLocation, signal);
  return fromMetadata(io, meta, metadataLocation, signal);
}
