const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** One step of a document path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * Formats a document path as `destinations[1].config.url`. Keys that are not plain identifiers
 * are quoted (`labels["team name"]`); the empty path is `''`.
 */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'symbol') out += `[${String(segment)}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
