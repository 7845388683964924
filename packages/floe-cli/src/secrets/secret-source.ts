import { readdirSync, readFileSync } from 'node:fs';

/** Where secrets are read from: the environment and a Kubernetes Secret volume. Injected for tests. */
export interface SecretSource {
  /** Environment variables (`process.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a UTF-8 file; `undefined` when it does not exist or is not a file. */
  readFile(path: string): string | undefined;
  /** Names in a directory (no dot-files); `undefined` when it does not exist. */
  listDir(path: string): string[] | undefined;
}

/** The real environment and file system. */
export function processSecretSource(env: Readonly<Record<string, string | undefined>> = process.env): SecretSource {
  return {
    env,
    readFile(path) {
      try {
        return readFileSync(path, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
        throw error;
      }
    },
    listDir(path) {
      try {
        return readdirSync(path).filter((name) => !name.startsWith('.'));
      } catch {
        return undefined;
      }
    },
  };
}
