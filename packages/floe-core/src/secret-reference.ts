import { z } from 'zod';
import { ConfigValidationError } from './config-validation-error.js';

/** A Kubernetes Secret name: lower-case letters, digits and hyphens, starting and ending alphanumeric. */
export const SECRET_NAME_PATTERN = /^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$/;

/** Longest allowed Secret name (Kubernetes' limit). */
export const SECRET_NAME_MAX_LENGTH = 253;

const SECRET_KEY_PATTERN = /^[-._A-Za-z0-9]+$/;

/** Where a secret is resolved from at run time. */
export const SECRET_SOURCES = Object.freeze(['kubernetes', 'env', 'vault', 'external-secrets', 'infisical'] as const);

/** One of {@link SECRET_SOURCES}. */
export type SecretSource = (typeof SECRET_SOURCES)[number];

/** zod schema of a Secret name (`connection_secret_ref`). */
export const SecretNameSchema = z
  .string()
  .min(1)
  .max(SECRET_NAME_MAX_LENGTH)
  .regex(SECRET_NAME_PATTERN, {
    error:
      'must be a Kubernetes Secret name: lower-case letters, digits and "-", starting and ending with a letter or digit (e.g. "crm-api-credentials")',
  })
  .meta({ description: 'Name of the Kubernetes Secret holding the credentials' });

/**
 * A pointer to credentials; never the credentials themselves (FR-018).
 * `key` picks one value of a multi-value Secret.
 */
export interface SecretReference {
  readonly source: SecretSource;
  readonly name: string;
  readonly key?: string;
}

/** True when `name` is a valid Secret name (pattern and length). */
export function isValidSecretName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= SECRET_NAME_MAX_LENGTH && SECRET_NAME_PATTERN.test(name);
}

/**
 * Parses a secret reference: a string `"name"` or `"name/key"` (Kubernetes source), or an object
 * `{ source?, name, key? }`. Throws a {@link ConfigValidationError} naming the bad part.
 *
 * @example
 * ```ts
 * parseSecretReference('crm-credentials/token'); // { source: 'kubernetes', name: 'crm-credentials', key: 'token' }
 * ```
 */
export function parseSecretReference(input: string | { source?: string; name: string; key?: string }): SecretReference {
  const raw: { source?: string; name: string; key?: string } =
    typeof input === 'string' ? splitReference(input) : input;
  const issues: { path: string; message: string }[] = [];
  const source = raw.source ?? 'kubernetes';
  if (!(SECRET_SOURCES as readonly string[]).includes(source)) {
    issues.push({ path: 'source', message: `must be one of ${SECRET_SOURCES.join(', ')} (got "${source}")` });
  }
  if (!isValidSecretName(raw.name)) {
    issues.push({
      path: 'name',
      message: `"${String(raw.name)}" is not a Kubernetes Secret name: use lower-case letters, digits and "-", start and end with a letter or digit, at most ${SECRET_NAME_MAX_LENGTH} characters`,
    });
  }
  if (raw.key !== undefined && !SECRET_KEY_PATTERN.test(raw.key)) {
    issues.push({ path: 'key', message: `"${raw.key}" is not a Secret key: use letters, digits, ".", "_" and "-"` });
  }
  if (issues.length > 0) throw new ConfigValidationError(issues, { subject: 'secret reference' });
  return Object.freeze({
    source: source as SecretSource,
    name: raw.name,
    ...(raw.key !== undefined && { key: raw.key }),
  });
}

/**
 * The environment variable a secret is injected as at run time: `FLOE_SECRET_<NAME>[_<KEY>]`,
 * upper-cased with `-` and `.` turned into `_`.
 *
 * @example
 * ```ts
 * secretEnvVarName({ source: 'kubernetes', name: 'crm-credentials', key: 'token' }); // 'FLOE_SECRET_CRM_CREDENTIALS_TOKEN'
 * ```
 */
export function secretEnvVarName(ref: Pick<SecretReference, 'name' | 'key'>): string {
  const part = (s: string): string => s.toUpperCase().replace(/[-.]/g, '_');
  return `FLOE_SECRET_${part(ref.name)}${ref.key ? `_${part(ref.key)}` : ''}`;
}

function splitReference(text: string): { name: string; key?: string } {
  const slash = text.indexOf('/');
  return slash < 0 ? { name: text } : { name: text.slice(0, slash), key: text.slice(slash + 1) };
}
