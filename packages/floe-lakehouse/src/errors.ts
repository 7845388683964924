/**
 * How a caller should react to an error:
 * - `TRANSIENT`: retrying later may succeed (network failure, HTTP 429/5xx).
 * - `PERMANENT`: retrying will not help (missing file, corrupt metadata, unsupported feature).
 * - `CONFIGURATION`: the caller's configuration or arguments must change (bad config, inline
 *   credentials, rejected credentials, unknown column).
 */
export type LakehouseErrorCategory = 'TRANSIENT' | 'PERMANENT' | 'CONFIGURATION';

const BRAND = Symbol.for('@floe/lakehouse/error');

type ErrorKind =
  | 'LakehouseError'
  | 'IcebergUnsupportedError'
  | 'IcebergNotFoundError'
  | 'IcebergMetadataError'
  | 'LakehouseConfigError'
  | 'IcebergCatalogError'
  | 'StorageError';

/** Options shared by every error of this package. */
export interface LakehouseErrorOptions {
  /** The underlying error (ES2022 `cause`). */
  cause?: unknown;
}

/**
 * Base class of every error thrown by `@floe/lakehouse`. Recognise it with {@link isLakehouseError}
 * (brand-based, works across copies of the package) rather than `instanceof`.
 */
export class LakehouseError extends Error {
  /** What the caller can do about it. */
  readonly category: LakehouseErrorCategory;

  constructor(message: string, category: LakehouseErrorCategory, options: LakehouseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LakehouseError';
    this.category = category;
    Object.defineProperty(this, BRAND, { value: 'LakehouseError', enumerable: false, configurable: true });
  }

  /** @internal */
  protected brand(kind: ErrorKind): void {
    this.name = kind;
    Object.defineProperty(this, BRAND, { value: kind, enumerable: false, configurable: true });
  }
}

/** A table uses an Iceberg feature this reader does not implement (it never returns wrong rows instead). */
export class IcebergUnsupportedError extends LakehouseError {
  /** The unsupported feature, e.g. `"deletion vectors (Iceberg v3)"` or `"ORC data files"`. */
  readonly feature: string;

  constructor(feature: string, message?: string, options: LakehouseErrorOptions = {}) {
    super(message ?? `Unsupported Iceberg feature: ${feature}`, 'PERMANENT', options);
    this.feature = feature;
    this.brand('IcebergUnsupportedError');
  }
}

/** A table, metadata file, data file or snapshot does not exist. */
export class IcebergNotFoundError extends LakehouseError {
  /** The path, URI, identifier or snapshot that was not found. */
  readonly location: string;

  constructor(location: string, message?: string, options: LakehouseErrorOptions = {}) {
    super(message ?? `Not found: ${location}`, 'PERMANENT', options);
    this.location = location;
    this.brand('IcebergNotFoundError');
  }
}

/** Table metadata, a manifest or a data file is invalid or inconsistent. */
export class IcebergMetadataError extends LakehouseError {
  /** The file the problem was found in, when known. */
  readonly location: string | undefined;

  constructor(message: string, options: LakehouseErrorOptions & { location?: string } = {}) {
    super(message, 'PERMANENT', options);
    this.location = options.location;
    this.brand('IcebergMetadataError');
  }
}

/** A configuration or argument is invalid (e.g. inline credentials, unknown column). */
export class LakehouseConfigError extends LakehouseError {
  /** Dotted path of the offending key (e.g. `config.client_secret`), when the problem is a key. */
  readonly keyPath: string | undefined;

  constructor(message: string, options: LakehouseErrorOptions & { keyPath?: string } = {}) {
    super(message, 'CONFIGURATION', options);
    this.keyPath = options.keyPath;
    this.brand('LakehouseConfigError');
  }
}

/** Category of an HTTP failure: 401/403 → CONFIGURATION, 408/429/5xx/network → TRANSIENT, else PERMANENT. */
export function categoryForStatus(status: number | undefined): LakehouseErrorCategory {
  if (status === undefined || status === 0 || status === 408 || status === 429 || status >= 500) return 'TRANSIENT';
  if (status === 401 || status === 403) return 'CONFIGURATION';
  return 'PERMANENT';
}

/** The Iceberg REST catalog answered with an error, or could not be reached. */
export class IcebergCatalogError extends LakehouseError {
  /** HTTP status, `0` when the catalog could not be reached. */
  readonly status: number;

  constructor(message: string, status: number, options: LakehouseErrorOptions = {}) {
    super(message, categoryForStatus(status), options);
    this.status = status;
    this.brand('IcebergCatalogError');
  }
}

/** Reading from storage (local file system, HTTP, S3) failed. */
export class StorageError extends LakehouseError {
  /** The path or URI being read. */
  readonly location: string;
  /** HTTP status when the storage is HTTP-based, `0` for network failures, undefined otherwise. */
  readonly status: number | undefined;

  constructor(
    message: string,
    options: LakehouseErrorOptions & { location: string; status?: number; category?: LakehouseErrorCategory },
  ) {
    super(message, options.category ?? categoryForStatus(options.status), options);
    this.location = options.location;
    this.status = options.status;
    this.brand('StorageError');
  }
}

function kindOf(e: unknown): ErrorKind | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const kind = (e as { [BRAND]?: unknown })[BRAND];
  return typeof kind === 'string' ? (kind as ErrorKind) : undefined;
}

/** True for any error thrown by this package (brand check, not `instanceof`). */
export function isLakehouseError(e: unknown): e is LakehouseError {
  return kindOf(e) !== undefined;
}

/** True when `e` is an {@link IcebergUnsupportedError}. */
export function isIcebergUnsupportedError(e: unknown): e is IcebergUnsupportedError {
  return kindOf(e) === 'IcebergUnsupportedError';
}

/** True when `e` is an {@link IcebergNotFoundError}. */
export function isIcebergNotFoundError(e: unknown): e is IcebergNotFoundError {
  return kindOf(e) === 'IcebergNotFoundError';
}

/** True when `e` is an {@link IcebergMetadataError}. */
export function isIcebergMetadataError(e: unknown): e is IcebergMetadataError {
  return kindOf(e) === 'IcebergMetadataError';
}

/** True when `e` is a {@link LakehouseConfigError}. */
export function isLakehouseConfigError(e: unknown): e is LakehouseConfigError {
  return kindOf(e) === 'LakehouseConfigError';
}

/** True when `e` is an {@link IcebergCatalogError}. */
export function isIcebergCatalogError(e: unknown): e is IcebergCatalogError {
  return kindOf(e) === 'IcebergCatalogError';
}

/** True when `e` is a {@link StorageError}. */
export function isStorageError(e: unknown): e is StorageError {
  return kindOf(e) === 'StorageError';
}
