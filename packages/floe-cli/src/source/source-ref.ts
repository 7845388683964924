import { isAbsolute } from 'node:path';
import { isUri, resolveProjectPath } from '../paths.js';

/**
 * What a destination's `source_table` names: a table location (a folder or a `metadata.json`, path
 * or URI) or an identifier read through the manifest's catalog (`gold.customers`).
 */
export type SourceRef =
  | { readonly kind: 'location'; readonly location: string; readonly written: string }
  | { readonly kind: 'catalog'; readonly identifier: string; readonly written: string };

/**
 * Tells a location from a catalog identifier: URIs (`s3://…`, `file:///…`), paths (with `/`, or
 * starting with `.`, or ending in `.json`) are locations, made absolute against floe.yaml's folder;
 * anything else (`gold.customers`, `ns.sub.table`) is a catalog identifier.
 *
 * @example
 * ```ts
 * parseSourceTable('data/orders', '/proj');   // { kind: 'location', location: '/proj/data/orders', … }
 * parseSourceTable('gold.orders', '/proj');   // { kind: 'catalog', identifier: 'gold.orders', … }
 * ```
 */
export function parseSourceTable(written: string, baseDir: string): SourceRef {
  const text = written.trim();
  const looksLikePath =
    isUri(text) ||
    isAbsolute(text) ||
    text.includes('/') ||
    text.includes('\\') ||
    text.startsWith('.') ||
    text.endsWith('.json');
  if (looksLikePath) return { kind: 'location', location: resolveProjectPath(baseDir, text), written };
  return { kind: 'catalog', identifier: text, written };
}
