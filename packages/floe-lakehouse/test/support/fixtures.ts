import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Folder of the shared Iceberg fixtures: `$FLOE_FIXTURES_DIR`, else `<repo>/../shared/fixtures/iceberg`
 * (CI clones the repo with `shared/` beside it).
 */
export const FIXTURES_DIR =
  process.env.FLOE_FIXTURES_DIR ?? fileURLToPath(new URL('../../../../../shared/fixtures/iceberg/', import.meta.url));

/** Absolute path of a fixture table folder. */
export function fixture(relative: string): string {
  return join(FIXTURES_DIR, relative);
}

/** Creates a temporary folder; remove it with the returned function. */
export async function tempDir(prefix = 'floe-lakehouse-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
