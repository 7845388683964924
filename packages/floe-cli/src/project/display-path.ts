import { isAbsolute, relative } from 'node:path';

/** `path` as a user would type it from `cwd`: relative when it is inside `cwd`, absolute otherwise. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
