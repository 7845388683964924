import { LakehouseConfigError } from '../../errors.js';

const ALLOWED = new Set(['token_url', 'token_endpoint', 'oauth2_server_uri', 'token_uri']);
const FORBIDDEN_WORDS = new Set([
  'secret',
  'password',
  'passwd',
  'pwd',
  'token',
  'credential',
  'credentials',
  'apikey',
]);
const FORBIDDEN_PARTS = [
  'access_key',
  'secret_key',
  'session_token',
  'private_key',
  'api_key',
  'accesskey',
  'secretkey',
];

/** `client_secret`, `s3.secret-access-key`, `secretAccessKey` → snake-case words. */
function normalizeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** True for keys that carry a credential inline (refs such as `client_secret_ref` are fine). */
export function isInlineCredentialKey(key: string): boolean {
  const k = normalizeKey(key);
  if (k.endsWith('_ref') || k === 'ref' || ALLOWED.has(k)) return false;
  if (FORBIDDEN_PARTS.some((p) => k.includes(p))) return true;
  return k.split('_').some((w) => FORBIDDEN_WORDS.has(w));
}

/**
 * Refuses a configuration carrying inline credentials (client secrets, access/secret keys,
 * tokens, passwords), naming the key path. Empty values are tolerated.
 */
export function assertNoInlineCredentials(value: unknown, path = ''): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoInlineCredentials(v, `${path}[${i}]`));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const keyPath = path ? `${path}.${key}` : key;
    if (isInlineCredentialKey(key) && v !== undefined && v !== null && v !== '') {
      throw new LakehouseConfigError(
        `Inline credential "${keyPath}" is not allowed in a catalog configuration: reference the secret instead ` +
          '(client_secret_ref / connection_secret_ref, resolved at runtime by resolveSecret); S3 credentials come only ' +
          'from the AWS_* environment variables or are vended by the catalog',
        { keyPath },
      );
    }
    assertNoInlineCredentials(v, keyPath);
  }
}
