import { dirname, isAbsolute, resolve } from 'node:path';

/** The spec file used when `--spec` is not given, relative to the working directory. */
export const DEFAULT_SPEC_FILE = 'floe.yaml';

/** The state folder beside floe.yaml when `--state-dir` is not given. */
export const DEFAULT_STATE_DIR = '.floe';

const URI = /^[a-z][a-z0-9+.-]*:\/\//i;

/** True for `s3://…`, `file:///…`, `https://…` and other URIs with an authority part. */
export function isUri(text: string): boolean {
  return URI.test(text);
}

/** Where the project is: the absolute spec file and the folder every relative path in it is resolved against. */
export interface ProjectPaths {
  /** Absolute path of floe.yaml. */
  readonly specFile: string;
  /** Its folder: the base of every relative path written in floe.yaml. */
  readonly baseDir: string;
}

/** Resolves `--spec` (default `./floe.yaml`) against the working directory. */
export function projectPaths(spec: string | undefined, cwd: string): ProjectPaths {
  const specFile = resolve(cwd, spec ?? DEFAULT_SPEC_FILE);
  return { specFile, baseDir: dirname(specFile) };
}

/**
 * A path written in floe.yaml, made absolute against floe.yaml's folder. URIs and absolute paths
 * are returned unchanged, so the same floe.yaml behaves the same from any working directory.
 */
export function resolveProjectPath(baseDir: string, path: string): string {
  if (isUri(path) || isAbsolute(path)) return path;
  return resolve(baseDir, path);
}

/** The folder receipts go to: `--state-dir` (against the working directory) or `.floe` beside floe.yaml. */
export function stateDir(paths: ProjectPaths, cwd: string, option: string | undefined): string {
  return option === undefined ? resolve(paths.baseDir, DEFAULT_STATE_DIR) : resolve(cwd, option);
}
