import { join } from 'node:path';
import type { Redactor } from '../secrets/redactor.js';

/** The variable that selects the state store when `--state-store` is not given. */
export const STATE_STORE_ENV = 'FLOE_STATE_STORE';

/**
 * Where runs are recorded: `--state-store`, else `$FLOE_STATE_STORE`, else the SQLite file
 * `<state-dir>/state.db`. A PostgreSQL URL's password is registered with the redactor, so no output
 * shows it.
 */
export function stateStoreLocation(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  stateDir: string,
  redactor: Redactor,
): string {
  const chosen = option ?? (env[STATE_STORE_ENV] === '' ? undefined : env[STATE_STORE_ENV]);
  if (chosen === undefined) return `sqlite:${join(stateDir, 'state.db')}`;
  try {
    const url = new URL(chosen);
    if (url.password !== '') {
      redactor.add(url.password);
      redactor.add(decodeURIComponent(url.password));
    }
  } catch {
    // Not a URL (a SQLite path): nothing secret in it.
  }
  return chosen;
}
