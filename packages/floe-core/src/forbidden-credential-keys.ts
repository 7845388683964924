import type { ValidationIssue } from './config-validation-error.js';
import { isPlainObject } from './internal/describe-value.js';
import type { PathSegment } from './internal/format-path.js';
import { toIssues, type RawIssue } from './internal/raw-issue.js';
import type { ValidateOptions } from './validation-result.js';

/**
 * Keys that would put credentials or environment-specific connection details into `floe.yaml`
 * (matched case-insensitively, at any depth). floe.yaml is environment-agnostic and references
 * credentials only through `connection_secret_ref` (FR-018).
 */
export const FORBIDDEN_CREDENTIAL_KEYS: ReadonlySet<string> = new Set([
  'database',
  'schema',
  'host',
  'port',
  'username',
  'password',
  'credentials',
  'connection_string',
  'endpoint',
  'access_key',
  'secret_key',
  'token',
  'api_key',
]);

/**
 * Structural keys of the floe.yaml schema itself that share a forbidden name: an output port's
 * column list is called `schema` (`outputPorts[0].schema`). Only that exact position is exempt.
 */
function isStructural(segments: readonly PathSegment[], key: string): boolean {
  return key === 'schema' && segments.length === 2 && segments[0] === 'outputPorts' && typeof segments[1] === 'number';
}

/** @internal Raw form of {@link findForbiddenCredentialKeys}. */
export function forbiddenCredentialKeyIssues(document: unknown): RawIssue[] {
  const found: RawIssue[] = [];
  const walk = (value: unknown, segments: PathSegment[]): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, [...segments, index]));
      return;
    }
    if (!isPlainObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const path = [...segments, key];
      if (FORBIDDEN_CREDENTIAL_KEYS.has(key.toLowerCase()) && !isStructural(segments, key)) {
        found.push({ segments: path, message: messageFor(key, segments) });
      }
      walk(child, path);
    }
  };
  walk(document, []);
  return found;
}

/**
 * Every credential-like key in a raw floe.yaml document, each as an issue naming its path
 * (`destinations[0].config.password`) with a fix hint.
 *
 * @example
 * ```ts
 * findForbiddenCredentialKeys({ destinations: [{ config: { password: 'x' } }] }, { file: 'floe.yaml' });
 * // [{ file: 'floe.yaml', path: 'destinations[0].config.password', message: 'credentials must not be written in floe.yaml …' }]
 * ```
 */
export function findForbiddenCredentialKeys(document: unknown, options: ValidateOptions = {}): ValidationIssue[] {
  return toIssues(forbiddenCredentialKeyIssues(document), options);
}

function messageFor(key: string, parent: readonly PathSegment[]): string {
  const head = `"${key}" is a credential or connection key and must not be written in floe.yaml`;
  if (parent[0] === 'destinations' && typeof parent[1] === 'number') {
    return `${head}: put it in a Kubernetes Secret and reference that Secret with destinations[${parent[1]}].connection_secret_ref`;
  }
  return `${head}: floe.yaml is environment-agnostic; connection details belong in the platform manifest and credentials in a Kubernetes Secret referenced by connection_secret_ref`;
}
