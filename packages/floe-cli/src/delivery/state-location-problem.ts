import { existsSync, statSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { isDeliveryError, parseStateStoreLocation } from '@floe/delivery';
import { STATE_STORE_ENV } from './state-store-location.js';

/** What {@link stateLocationProblem} checks: the options as given and where they point. */
export interface StateLocationInput {
  /** `--state-dir` as given, when given. */
  readonly stateDirOption: string | undefined;
  /** The state folder it resolves to. */
  readonly stateDir: string;
  /** `--state-store` as given, when given. */
  readonly stateStoreOption: string | undefined;
  /** The state-store location in use (from the option, `$FLOE_STATE_STORE` or the state folder). */
  readonly location: string;
  readonly cwd: string;
}

/** The existing file that stops `path` from being (or being created as) a folder, if any. */
function blockingFile(path: string): string | undefined {
  let current = path;
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return statSync(current).isDirectory() ? undefined : current;
}

/**
 * A one-line configuration error naming the option (`--state-dir`, `--state-store` or `FLOE_STATE_STORE`)
 * when the state folder or the state store cannot be used as given — an unknown scheme (`mongodb://…`), a
 * folder below a file (`floe.yaml/x`) — checked before anything is created. `undefined` when both are usable.
 *
 * @example
 * ```ts
 * stateLocationProblem({ stateDirOption: 'floe.yaml/x', stateDir: '/p/floe.yaml/x', stateStoreOption: undefined,
 *   location: 'sqlite:/p/floe.yaml/x/state.db', cwd: '/p' });
 * // '--state-dir floe.yaml/x: floe.yaml is a file, not a folder'
 * ```
 */
export function stateLocationProblem(input: StateLocationInput): string | undefined {
  const shown = (file: string) => relative(input.cwd, file) || file;
  const dirFile = blockingFile(input.stateDir);
  if (dirFile !== undefined) {
    const option =
      input.stateDirOption === undefined
        ? `state folder ${shown(input.stateDir)}`
        : `--state-dir ${input.stateDirOption}`;
    return `${option}: ${shown(dirFile)} is a file, not a folder`;
  }
  const source = input.stateStoreOption !== undefined ? '--state-store' : STATE_STORE_ENV;
  try {
    const parsed = parseStateStoreLocation(input.location, input.cwd);
    if (parsed.kind !== 'sqlite') return undefined;
    const file = blockingFile(dirname(parsed.file));
    return file === undefined ? undefined : `${source} ${parsed.display}: ${shown(file)} is a file, not a folder`;
  } catch (error) {
    if (!isDeliveryError(error)) throw error;
    return `${source}: ${error.message.replace(/^state store: /, '')}`;
  }
}
