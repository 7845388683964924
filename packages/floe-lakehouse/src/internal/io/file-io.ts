/** Random access to one file: what the Parquet reader needs to read footers and column chunks. */
export interface RangeReader {
  /** Total size of the file in bytes. */
  readonly size: number;
  /** Reads bytes `[start, end)`. */
  read(start: number, end: number, signal?: AbortSignal): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Storage access used by the reader (local file system, HTTP(S), S3). */
export interface FileIO {
  /** Reads a whole (small) file: metadata JSON, manifest lists, manifests, delete files. */
  readFile(location: string, signal?: AbortSignal): Promise<Uint8Array>;
  /** Size of a file, or `null` when it does not exist. */
  stat(location: string, signal?: AbortSignal): Promise<{ size: number } | null>;
  /**
   * Names of the files directly inside a folder, `null` when the storage cannot list (HTTP).
   * A missing folder lists as `[]`.
   */
  list(folder: string, signal?: AbortSignal): Promise<string[] | null>;
  /** Opens a file for range reads; `size` (from the manifest) saves a metadata request when known. */
  openReader(location: string, size?: number, signal?: AbortSignal): Promise<RangeReader>;
}

/** Storage scheme of a location: `file` (also plain paths), `http`, `s3` (s3, s3a, s3n) or another scheme. */
export function schemeOf(location: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(location);
  if (!m || (m[1] as string).length === 1) return 'file'; // no scheme, or a Windows drive letter
  const scheme = (m[1] as string).toLowerCase();
  if (scheme === 'https') return 'http';
  if (scheme === 's3a' || scheme === 's3n') return 's3';
  return scheme;
}

/** Joins a folder location and a relative path with exactly one `/`. */
export function joinLocation(folder: string, relative: string): string {
  return `${folder.replace(/\/+$/, '')}/${relative.replace(/^\/+/, '')}`;
}

/** The parent folder of a location (`s3://b/t/metadata/x.json` → `s3://b/t/metadata`). */
export function parentLocation(location: string): string {
  const trimmed = location.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i <= 0 ? trimmed.slice(0, Math.max(i, 0)) : trimmed.slice(0, i);
}

/** The last path segment of a location. */
export function baseName(location: string): string {
  const trimmed = location.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
