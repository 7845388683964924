import { existsSync, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { SinkConfigurationError } from '../../errors/index.js';

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

/**
 * Makes a SQLite file's folder when it is missing, but only below floe.yaml's folder (`baseDir`) or right under
 * a folder that exists: `sqlite:/nonexistent/dir/x.db` is a configuration error, not a new `/nonexistent`.
 *
 * @example
 * ```ts
 * prepareSqliteFolder('/repo/project/out/app.db', '/repo/project'); // creates /repo/project/out
 * ```
 */
export function prepareSqliteFolder(file: string, baseDir: string | undefined): void {
  const folder = dirname(file);
  if (existsSync(folder)) return;
  const inside =
    baseDir !== undefined && !relative(baseDir, folder).startsWith('..') && !isAbsolute(relative(baseDir, folder));
  if (!inside && !existsSync(dirname(folder))) {
    throw new SinkConfigurationError(
      `the SQLite file's folder ${folder} does not exist, nor does its parent: create it, or put the file below floe.yaml's folder`,
      { sinkType: 'sql_database', issues: [] },
    );
  }
  mkdirSync(folder, { recursive: true });
}
