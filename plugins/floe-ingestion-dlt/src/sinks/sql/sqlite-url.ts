import { isAbsolute, resolve } from 'node:path';

/** The file of a SQLite URL (`sqlite:/abs/x.db` → `/abs/x.db`), or `undefined` for other URLs and `:memory:`. */
export function sqliteFile(url: string): string | undefined {
  const match = /^sqlite3?:(.*)$/i.exec(url);
  if (!match) return undefined;
  let file = match[1] ?? '';
  if (file.startsWith('//')) file = file.slice(2);
  return file === '' || file === ':memory:' ? undefined : file;
}

/**
 * A SQLite URL with its file made absolute against floe.yaml's folder:
 * `sqlite:out/app.db` → `sqlite:/abs/project/out/app.db`. `sqlite:///abs.db` becomes `sqlite:/abs.db`;
 * `sqlite::memory:` and other URLs are returned unchanged.
 *
 * @example
 * ```ts
 * resolveSqliteUrl('sqlite:out/quickstart.db', '/repo/examples/quickstart'); // 'sqlite:/repo/examples/quickstart/out/quickstart.db'
 * ```
 */
export function resolveSqliteUrl(url: string, baseDir: string): string {
  const file = sqliteFile(url);
  if (file === undefined) return url;
  return `sqlite:${isAbsolute(file) ? file : resolve(baseDir, file)}`;
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
