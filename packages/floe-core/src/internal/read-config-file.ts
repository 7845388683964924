import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ConfigValidationError } from '../config-validation-error.js';

/** Reads a config file as UTF-8; a read failure becomes a {@link ConfigValidationError} naming the file. */
export async function readConfigFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? (error as Error).message})`;
    throw new ConfigValidationError([{ file: path, path: '', message: reason }], {
      subject: basename(path),
      cause: error,
    });
  }
}
