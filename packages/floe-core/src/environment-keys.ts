import type { ValidationIssue } from './config-validation-error.js';
import { isPlainObject } from './internal/describe-value.js';
import type { PathSegment } from './internal/format-path.js';
import { toIssues, type RawIssue } from './internal/raw-issue.js';
import type { ValidateOptions } from './validation-result.js';

/**
 * Keys that would make manifest.yaml environment-specific (matched case-insensitively). A manifest
 * is environment-agnostic: the runtime environment (`FLOE_ENV`) selects behaviour, not the file.
 */
export const FORBIDDEN_ENVIRONMENT_KEYS: ReadonlySet<string> = new Set([
  'env',
  'envs',
  'environment',
  'environments',
  'env_overrides',
  'environment_overrides',
  'target_env',
  'floe_env',
  'dev',
  'development',
  'staging',
  'prod',
  'production',
]);

/** The mappings checked: the document, `plugins`, each `plugins.<category>`, `governance`, `defaults`. Plugin `config` blocks belong to their plugin and are not checked. */
function containers(document: Record<string, unknown>): [PathSegment[], Record<string, unknown>][] {
  const found: [PathSegment[], Record<string, unknown>][] = [[[], document]];
  for (const key of ['plugins', 'governance', 'defaults']) {
    const child = document[key];
    if (isPlainObject(child)) found.push([[key], child]);
  }
  if (isPlainObject(document.plugins)) {
    for (const [category, selection] of Object.entries(document.plugins)) {
      if (isPlainObject(selection)) found.push([['plugins', category], selection]);
    }
  }
  return found;
}

/** @internal Raw form of {@link findEnvironmentKeys}. */
export function environmentKeyIssues(document: unknown): RawIssue[] {
  if (!isPlainObject(document)) return [];
  return containers(document).flatMap(([segments, map]) =>
    Object.keys(map)
      .filter((key) => FORBIDDEN_ENVIRONMENT_KEYS.has(key.toLowerCase()))
      .map((key) => ({
        segments: [...segments, key],
        message:
          'environment-specific configuration is not allowed: manifest.yaml is environment-agnostic ' +
          '(one manifest for every environment; the runtime environment selects behaviour)',
      })),
  );
}

/**
 * Every environment-override key in a raw manifest document (`prod:`, `environments:`, …).
 *
 * @example
 * ```ts
 * findEnvironmentKeys({ prod: { plugins: {} } }, { file: 'manifest.yaml' })[0].path; // 'prod'
 * ```
 */
export function findEnvironmentKeys(document: unknown, options: ValidateOptions = {}): ValidationIssue[] {
  return toIssues(environmentKeyIssues(document), options);
}
