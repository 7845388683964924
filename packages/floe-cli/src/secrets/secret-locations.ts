import { join } from 'node:path';

/** The environment variable holding key `key` of Secret `name`: `FLOE_SECRET_<NAME>_<KEY>`, upper case, `-` and `.` → `_`. */
export function secretEnvVar(name: string, key: string): string {
  const part = (text: string): string => text.toUpperCase().replace(/[-.]/g, '_');
  return `FLOE_SECRET_${part(name)}_${part(key)}`;
}

/** The file holding key `key` of Secret `name` in a Kubernetes Secret volume: `<dir>/<name>/<key>`. */
export function secretFilePath(secretsDir: string, name: string, key: string): string {
  return join(secretsDir, name, key);
}
