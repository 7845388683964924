import { open, readdir, readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { IcebergNotFoundError, StorageError } from '../../errors.js';
import { throwIfAborted } from '../util/abort.js';
import type { FileIO, RangeReader } from './file-io.js';

/**
 * Converts a local location to a file system path: plain paths are kept, `file:///abs` becomes
 * `/abs`, and the non-standard `file://relative/path` some writers record becomes `relative/path`.
 */
export function toLocalPath(location: string): string {
  if (!/^file:/i.test(location)) return location;
  if (/^file:\/\/\//i.test(location) || /^file:\/\/localhost\//i.test(location)) return fileURLToPath(location);
  return decodeURIComponent(location.replace(/^file:(\/\/)?/i, ''));
}

function isNotFound(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function wrap(e: unknown, location: string): Error {
  if ((e as { name?: unknown }).name === 'AbortError') return e as Error;
  if (isNotFound(e)) return new IcebergNotFoundError(location, `File not found: ${location}`, { cause: e });
  return new StorageError(`Cannot read ${location}: ${(e as Error).message}`, {
    location,
    category: 'PERMANENT',
    cause: e,
  });
}

/** Local file system access (plain paths and `file:` URIs). */
export class LocalFileIO implements FileIO {
  async readFile(location: string, signal?: AbortSignal): Promise<Uint8Array> {
    try {
      return await readFile(toLocalPath(location), signal ? { signal } : {});
    } catch (e) {
      throw wrap(e, location);
    }
  }

  async stat(location: string): Promise<{ size: number } | null> {
    try {
      const s = await stat(toLocalPath(location));
      return s.isFile() ? { size: s.size } : null;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw wrap(e, location);
    }
  }

  async list(folder: string): Promise<string[]> {
    try {
      const entries = await readdir(toLocalPath(folder), { withFileTypes: true });
      return entries.filter((e) => e.isFile()).map((e) => e.name);
    } catch (e) {
      if (isNotFound(e)) return [];
      throw wrap(e, folder);
    }
  }

  async openReader(location: string, size?: number, signal?: AbortSignal): Promise<RangeReader> {
    throwIfAborted(signal);
    let handle;
    try {
      handle = await open(toLocalPath(location), 'r');
    } catch (e) {
      throw wrap(e, location);
    }
    const fh = handle;
    const fileSize = size ?? (await fh.stat()).size;
    return {
      size: fileSize,
      async read(start: number, end: number, readSignal?: AbortSignal): Promise<Uint8Array> {
        throwIfAborted(readSignal);
        const length = Math.max(0, end - start);
        const buffer = new Uint8Array(length);
        let offset = 0;
        while (offset < length) {
          const { bytesRead } = await fh.read(buffer, offset, length - offset, start + offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
        }
        if (offset !== length) {
          throw new StorageError(
            `Short read of ${location}: wanted bytes ${start}-${end}, file ended at ${start + offset}`,
            {
              location,
              category: 'PERMANENT',
            },
          );
        }
        return buffer;
      },
      close: () => fh.close(),
    };
  }
}
