import { baseName, joinLocation, parentLocation, schemeOf, type FileIO } from './file-io.js';

/** Normalises a location for prefix comparison: s3a/s3n → s3, `file:` → path, no `./`, no trailing `/`. */
export function normalizeLocation(location: string): string {
  let s = location.trim();
  s = s.replace(/^s3[an]:\/\//i, 's3://');
  if (/^file:\/\/\//i.test(s)) s = s.replace(/^file:\/\//i, '');
  else if (/^file:\/\//i.test(s)) s = s.replace(/^file:\/\//i, '');
  else if (/^file:\//i.test(s)) s = s.replace(/^file:/i, '');
  s = s.replace(/^(\.\/)+/, '');
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]+:\/\//.exec(s)?.[0] ?? '';
  return (
    scheme +
    s
      .slice(scheme.length)
      .replace(/\/{2,}/g, '/')
      .replace(/\/\.\//g, '/')
      .replace(/\/+$/, '')
  );
}

function isRelative(location: string): boolean {
  return schemeOf(location) === 'file' && !location.startsWith('/') && !/^[a-zA-Z]:[\\/]/.test(location);
}

interface PrefixMapping {
  from: string;
  to: string;
}

/**
 * Maps the locations recorded in metadata (manifest lists, manifests, data and delete files) to
 * where the table actually is. For a table that was not moved it returns recorded paths unchanged;
 * for a moved table (its recorded location is unreachable, like DuckDB's `allow_moved_paths`) it
 * rewrites the recorded table location — and the part of it above the common trailing folders —
 * to the table's real folder.
 */
export class PathResolver {
  constructor(
    private readonly mappings: readonly PrefixMapping[],
    private readonly relativeBase?: string,
  ) {}

  /** True when recorded paths are rewritten. */
  get moved(): boolean {
    return this.mappings.length > 0 || this.relativeBase !== undefined;
  }

  resolve(recorded: string): string {
    if (!this.moved) return recorded;
    const n = normalizeLocation(recorded);
    for (const { from, to } of this.mappings) {
      if (n === from) return to;
      if (n.startsWith(`${from}/`)) return to + n.slice(from.length);
    }
    if (this.relativeBase !== undefined && isRelative(n)) return joinLocation(this.relativeBase, n);
    return recorded;
  }
}

/** The table folder that holds a metadata file (`<table>/metadata/x.metadata.json` → `<table>`). */
export function tableRootOf(metadataLocation: string): string {
  const folder = parentLocation(metadataLocation);
  return baseName(folder) === 'metadata' ? parentLocation(folder) : folder;
}

/**
 * Builds the resolver for a table whose metadata was read from `metadataLocation` and records
 * `recordedLocation` as its location.
 */
export async function createPathResolver(
  io: FileIO,
  recordedLocation: string,
  metadataLocation: string,
  signal?: AbortSignal,
): Promise<PathResolver> {
  const actualRoot = tableRootOf(metadataLocation);
  const recorded = normalizeLocation(recordedLocation);
  const actual = normalizeLocation(actualRoot);
  if (recorded === actual) return new PathResolver([]);
  if (schemeOf(recorded) === schemeOf(actual)) {
    const probe = joinLocation(recordedLocation, `metadata/${baseName(metadataLocation)}`);
    const reachable = await io.stat(probe, signal).then(
      (s) => s !== null,
      () => false,
    );
    if (reachable) return new PathResolver([]);
  }
  const mappings: PrefixMapping[] = [{ from: recorded, to: actualRoot.replace(/\/+$/, '') }];
  const r = recorded.split('/');
  const a = actual.split('/');
  let common = 0;
  while (common < r.length - 1 && common < a.length - 1 && r[r.length - 1 - common] === a[a.length - 1 - common])
    common++;
  let relativeBase: string | undefined;
  if (common > 0) {
    const fromHead = r.slice(0, r.length - common).join('/');
    const toHead = a.slice(0, a.length - common).join('/');
    if (fromHead !== '') mappings.push({ from: fromHead, to: toHead });
    else if (isRelative(recorded)) relativeBase = toHead;
  }
  return new PathResolver(mappings, relativeBase);
}
