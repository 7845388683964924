import { basename } from 'node:path';
import { ConfigValidationError } from './config-validation-error.js';
import { environmentKeyIssues, FORBIDDEN_ENVIRONMENT_KEYS } from './environment-keys.js';
import { describeValue, isPlainObject } from './internal/describe-value.js';
import { MANIFEST_RULES } from './internal/manifest-rules.js';
import { parseYaml } from './internal/parse-yaml.js';
import type { IssueContext, RawIssue } from './internal/raw-issue.js';
import { readConfigFile } from './internal/read-config-file.js';
import { runValidation } from './internal/run-validation.js';
import { yamlFailure } from './internal/yaml-failure.js';
import { PlatformManifestSchema, type PlatformManifest } from './platform-manifest.js';
import type { ValidateOptions, ValidationResult } from './validation-result.js';

const DEFAULT_FILE = 'manifest.yaml';
const KNOWN_KEYS = Object.keys(PlatformManifestSchema.shape);

function documentShape(document: unknown): RawIssue[] {
  if (isPlainObject(document)) return environmentKeyIssues(document);
  const got = document === undefined || document === null ? 'an empty document' : describeValue(document);
  return [
    { segments: [], message: `must be a Manifest mapping with apiVersion, kind, metadata and plugins (got ${got})` },
  ];
}

/** Unknown top-level keys are kept for forward compatibility, with a warning. */
function unknownTopLevelKeys(document: unknown): RawIssue[] {
  if (!isPlainObject(document)) return [];
  return Object.keys(document)
    .filter((key) => !KNOWN_KEYS.includes(key) && !FORBIDDEN_ENVIRONMENT_KEYS.has(key.toLowerCase()))
    .map((key) => ({ segments: [key], message: `unknown key, ignored (known keys: ${KNOWN_KEYS.join(', ')})` }));
}

function check(document: unknown, context: IssueContext): ValidationResult<PlatformManifest> {
  return runValidation(
    document,
    { before: documentShape, warn: unknownTopLevelKeys, schema: PlatformManifestSchema, rules: MANIFEST_RULES },
    context,
  );
}

/**
 * Validates an already-parsed manifest.yaml document. Unknown top-level keys are warnings;
 * environment-override keys, scope violations and schema problems are errors. Never throws.
 */
export function validateManifest(document: unknown, options: ValidateOptions = {}): ValidationResult<PlatformManifest> {
  return check(document, { file: options.file ?? DEFAULT_FILE });
}

/**
 * Parses and validates manifest.yaml text, with file, path, line and column on every issue. Never throws.
 *
 * @example
 * ```ts
 * const result = parseManifest(text, { file: 'manifest.yaml' });
 * if (result.ok) console.log(result.value.approved_sinks ?? 'no sink restriction');
 * ```
 */
export function parseManifest(text: string, options: ValidateOptions = {}): ValidationResult<PlatformManifest> {
  const file = options.file ?? DEFAULT_FILE;
  const parsed = parseYaml(text);
  if (!parsed.ok) return yamlFailure(parsed.errors, file);
  return check(parsed.data, { file, locate: parsed.locate });
}

/**
 * Reads and validates a manifest.yaml file; throws a {@link ConfigValidationError} listing every issue.
 * Warnings are dropped: use {@link parseManifest} to see them.
 *
 * @example
 * ```ts
 * const manifest = await loadManifest('manifest.yaml');
 * ```
 */
export async function loadManifest(path: string): Promise<PlatformManifest> {
  const result = parseManifest(await readConfigFile(path), { file: path });
  if (!result.ok) throw new ConfigValidationError(result.issues, { subject: basename(path) });
  return result.value;
}
