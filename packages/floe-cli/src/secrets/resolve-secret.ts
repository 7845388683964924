import { secretEnvVar, secretFilePath } from './secret-locations.js';
import { describeAlternatives, type SecretKeyRule } from './secret-keys.js';
import { SecretNotFoundError } from './secret-not-found-error.js';
import type { SecretSource } from './secret-source.js';

/** The environment variable naming the Kubernetes Secret volume (`<dir>/<name>/<key>` files). */
export const SECRETS_DIR_ENV = 'FLOE_SECRETS_DIR';

/** A resolved connection Secret: its values and where each came from (never log `values`). */
export interface ResolvedSecret {
  readonly name: string;
  /** Key → value. Secret: pass to the sink, never print. */
  readonly values: Readonly<Record<string, string>>;
  /** Key → where it was found, e.g. `env FLOE_SECRET_CRM_TOKEN` or `file /var/run/secrets/crm/token`. */
  readonly origins: Readonly<Record<string, string>>;
}

/** Options of {@link resolveSecret}. */
export interface ResolveSecretOptions {
  /** The sink type, for messages. */
  readonly sinkType: string;
  /**
   * The keys the sink type reads and the combinations it requires (its descriptor's `secret`). Absent: every
   * key found for the Secret is taken, and at least one is required.
   */
  readonly rule?: SecretKeyRule;
  /** Where the reference was written, for messages, e.g. `destinations[0].connection_secret_ref`. */
  readonly refPath?: string;
}

/**
 * Resolves Secret `name` for a sink type: each key `K` from the environment variable
 * `FLOE_SECRET_<NAME>_<K>` or else the file `$FLOE_SECRETS_DIR/<name>/<k>` (one trailing newline
 * trimmed). Throws a {@link SecretNotFoundError} naming every place looked when the keys the sink type
 * needs are missing. Unknown sink types take every key found under either place.
 *
 * @example
 * ```ts
 * const secret = resolveSecret('crm-api', processSecretSource(), { sinkType: 'rest_api' });
 * secret.values.token; // from FLOE_SECRET_CRM_API_TOKEN or $FLOE_SECRETS_DIR/crm-api/token
 * ```
 */
export function resolveSecret(name: string, source: SecretSource, options: ResolveSecretOptions): ResolvedSecret {
  const secretsDir = nonEmpty(source.env[SECRETS_DIR_ENV]);
  const rule = options.rule ?? discoverRule(name, source, secretsDir);
  const values: Record<string, string> = {};
  const origins: Record<string, string> = {};
  const lookedIn: string[] = [];
  for (const key of rule.keys) {
    const envVar = secretEnvVar(name, key);
    lookedIn.push(`environment variable ${envVar}`);
    const fromEnv = nonEmpty(source.env[envVar]);
    if (fromEnv !== undefined) {
      values[key] = fromEnv;
      origins[key] = `env ${envVar}`;
      continue;
    }
    if (secretsDir === undefined) continue;
    const file = secretFilePath(secretsDir, name, key);
    lookedIn.push(`file ${file}`);
    const fromFile = nonEmpty(trimTrailingNewline(source.readFile(file)));
    if (fromFile !== undefined) {
      values[key] = fromFile;
      origins[key] = `file ${file}`;
    }
  }
  const satisfied = rule.anyOf.some((keys) => keys.every((key) => key in values));
  if (!satisfied) throw missing(name, rule, values, lookedIn, secretsDir, options);
  return Object.freeze({ name, values: Object.freeze(values), origins: Object.freeze(origins) });
}

function missing(
  name: string,
  rule: SecretKeyRule,
  values: Record<string, string>,
  lookedIn: string[],
  secretsDir: string | undefined,
  options: ResolveSecretOptions,
): SecretNotFoundError {
  const closest = rule.anyOf.find((keys) => keys.some((key) => key in values)) ?? rule.anyOf[0] ?? [];
  const missingKeys = closest.filter((key) => !(key in values));
  const where = options.refPath ? ` (${options.refPath})` : '';
  const needs = rule.anyOf.length > 0 ? describeAlternatives(rule) : 'at least one key';
  const found = Object.keys(values);
  const lines = [
    `secret "${name}"${where} not found for sink type ${options.sinkType}: it needs ${needs}` +
      (found.length > 0 ? `; found only ${found.join(', ')}, missing ${missingKeys.join(', ')}` : ''),
    `  looked in: ${lookedIn.length > 0 ? lookedIn.join(', ') : discoveryPlaces(name, secretsDir)}`,
  ];
  if (secretsDir === undefined) {
    lines.push(
      `  ${SECRETS_DIR_ENV} is not set, so no secret files were read (set it to the folder holding <secret-name>/<key> files)`,
    );
  }
  return new SecretNotFoundError(lines.join('\n'), { secretName: name, missingKeys, lookedIn });
}

function discoveryPlaces(name: string, secretsDir: string | undefined): string {
  const variables = `environment variables ${secretEnvVar(name, 'x').slice(0, -1)}*`;
  return secretsDir === undefined ? variables : `${variables}, folder ${secretFilePath(secretsDir, name, '')}`;
}

/** For a sink type without a known rule: every key set in the environment or the Secret folder. */
function discoverRule(name: string, source: SecretSource, secretsDir: string | undefined): SecretKeyRule {
  const prefix = secretEnvVar(name, 'x').slice(0, -1);
  const keys = new Set<string>();
  for (const variable of Object.keys(source.env)) {
    if (variable.startsWith(prefix) && variable.length > prefix.length)
      keys.add(variable.slice(prefix.length).toLowerCase());
  }
  if (secretsDir !== undefined)
    for (const file of source.listDir(secretFilePath(secretsDir, name, '')) ?? []) keys.add(file);
  const sorted = [...keys].sort();
  return { keys: sorted, anyOf: sorted.length > 0 ? [[]] : [] };
}

function trimTrailingNewline(text: string | undefined): string | undefined {
  return text?.replace(/\r?\n$/, '');
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

/**
 * Resolves one key of a Secret (e.g. a catalog's OAuth2 `client_secret`) the same way: the variable
 * `FLOE_SECRET_<NAME>_<KEY>`, else the file `$FLOE_SECRETS_DIR/<name>/<key>`.
 */
export function resolveSecretKey(
  name: string,
  key: string,
  source: SecretSource,
  options: { refPath?: string } = {},
): string {
  const rule: SecretKeyRule = { keys: [key], anyOf: [[key]] };
  const secretsDir = nonEmpty(source.env[SECRETS_DIR_ENV]);
  const envVar = secretEnvVar(name, key);
  const fromEnv = nonEmpty(source.env[envVar]);
  if (fromEnv !== undefined) return fromEnv;
  const lookedIn = [`environment variable ${envVar}`];
  if (secretsDir !== undefined) {
    const file = secretFilePath(secretsDir, name, key);
    lookedIn.push(`file ${file}`);
    const fromFile = nonEmpty(trimTrailingNewline(source.readFile(file)));
    if (fromFile !== undefined) return fromFile;
  }
  throw missing(name, rule, {}, lookedIn, secretsDir, {
    sinkType: 'catalog',
    ...(options.refPath !== undefined && { refPath: options.refPath }),
  });
}
