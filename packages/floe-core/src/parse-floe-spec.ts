import { basename } from 'node:path';
import { ConfigValidationError } from './config-validation-error.js';
import { forbiddenCredentialKeyIssues } from './forbidden-credential-keys.js';
import { FloeSpecSchema, type FloeSpec } from './floe-spec.js';
import { describeValue, isPlainObject } from './internal/describe-value.js';
import { FLOE_SPEC_RULES } from './internal/floe-spec-rules.js';
import { parseYaml } from './internal/parse-yaml.js';
import { readConfigFile } from './internal/read-config-file.js';
import type { IssueContext, RawIssue } from './internal/raw-issue.js';
import { runValidation } from './internal/run-validation.js';
import { yamlFailure } from './internal/yaml-failure.js';
import type { ValidateOptions, ValidationResult } from './validation-result.js';

const DEFAULT_FILE = 'floe.yaml';

function documentShape(document: unknown): RawIssue[] {
  if (isPlainObject(document)) return forbiddenCredentialKeyIssues(document);
  const got = document === undefined || document === null ? 'an empty document' : describeValue(document);
  return [
    { segments: [], message: `must be a FloeSpec mapping with apiVersion, kind, metadata and transforms (got ${got})` },
  ];
}

function check(document: unknown, context: IssueContext): ValidationResult<FloeSpec> {
  return runValidation(document, { before: documentShape, schema: FloeSpecSchema, rules: FLOE_SPEC_RULES }, context);
}

/**
 * Validates an already-parsed floe.yaml document: credential keys, schema, then cross-field rules.
 * Never throws.
 *
 * @example
 * ```ts
 * const result = validateFloeSpec(yaml.parse(text));
 * if (!result.ok) result.issues.forEach((i) => console.error(formatIssue(i)));
 * ```
 */
export function validateFloeSpec(document: unknown, options: ValidateOptions = {}): ValidationResult<FloeSpec> {
  return check(document, { file: options.file ?? DEFAULT_FILE });
}

/**
 * Parses and validates floe.yaml text. YAML syntax errors and schema issues carry file, path,
 * line and column. Never throws.
 *
 * @example
 * ```ts
 * const result = parseFloeSpec(text, { file: 'examples/quickstart/floe.yaml' });
 * if (result.ok) console.log(result.value.destinations?.length ?? 0, 'destinations');
 * ```
 */
export function parseFloeSpec(text: string, options: ValidateOptions = {}): ValidationResult<FloeSpec> {
  const file = options.file ?? DEFAULT_FILE;
  const parsed = parseYaml(text);
  if (!parsed.ok) return yamlFailure(parsed.errors, file);
  return check(parsed.data, { file, locate: parsed.locate });
}

/**
 * Reads and validates a floe.yaml file; throws a {@link ConfigValidationError} listing every
 * issue (an unreadable file is one issue too) (`floe.yaml: destinations[1].batch_size: must be ≥ 1 (got 0)`).
 *
 * @example
 * ```ts
 * const spec = await loadFloeSpec('floe.yaml');
 * for (const d of spec.destinations ?? []) console.log(d.name, d.sink_type);
 * ```
 */
export async function loadFloeSpec(path: string): Promise<FloeSpec> {
  const text = await readConfigFile(path);
  const result = parseFloeSpec(text, { file: path });
  if (!result.ok) throw new ConfigValidationError(result.issues, { subject: basename(path) });
  return result.value;
}
