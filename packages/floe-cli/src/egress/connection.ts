import { resolveSqliteUrl, sqliteFile } from '../paths.js';
import type { ResolvedSecret } from '../secrets/resolve-secret.js';

/**
 * The secret values a sink receives in its connection config. A `sqlite:` URL's relative file is
 * made absolute against floe.yaml's folder (a path is not a credential, the rest is passed as is).
 */
export function connectionValues(secret: ResolvedSecret, baseDir: string): Record<string, string> {
  const values: Record<string, string> = { ...secret.values };
  if (values.url !== undefined) values.url = resolveSqliteUrl(values.url, baseDir);
  return values;
}

/** A database URL without credentials or query: `postgres://db:5432/crm`, `sqlite /abs/app.db`. */
export function describeDatabaseUrl(url: string): string {
  const file = sqliteFile(url);
  if (file !== undefined) return `sqlite ${file}`;
  if (/^sqlite3?::memory:$/i.test(url)) return 'sqlite in-memory';
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(database URL from the secret)';
  }
}

/**
 * Where a destination sends rows, in words, without secrets:
 * `POST https://api.example.com/contacts`, `postgres://db:5432/crm table crm.contacts`.
 */
export function describeTarget(
  sinkType: string,
  config: Readonly<Record<string, unknown>>,
  connection?: Readonly<Record<string, string>>,
): string {
  if (sinkType === 'rest_api') {
    const method = typeof config.method === 'string' ? config.method.toUpperCase() : 'POST';
    const base = typeof config.base_url === 'string' ? config.base_url.replace(/\/+$/, '') : undefined;
    const path = typeof config.path === 'string' ? config.path.replace(/^\/+/, '') : '';
    const url =
      typeof config.url === 'string'
        ? config.url
        : base !== undefined
          ? path
            ? `${base}/${path}`
            : base
          : '(url not set)';
    return `${method} ${url}`;
  }
  if (sinkType === 'sql_database') {
    const where =
      connection?.url !== undefined ? describeDatabaseUrl(connection.url) : '(database URL from the secret)';
    return typeof config.table === 'string' ? `${where} table ${config.table}` : where;
  }
  return sinkType;
}
