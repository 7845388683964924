import type { FileIO, RangeReader } from './file-io.js';
import { fetchBytes, fetchSize, httpRangeReader, type Fetcher } from './http-fetch.js';
import { IcebergNotFoundError } from '../../errors.js';

/** Read-only HTTP(S) access with range reads. HTTP has no listing: `list` returns `null`. */
export class HttpFileIO implements FileIO {
  constructor(private readonly fetcher: Fetcher = (url, init) => fetch(url, init)) {}

  readFile(location: string, signal?: AbortSignal): Promise<Uint8Array> {
    return fetchBytes(this.fetcher, location, location, signal);
  }

  stat(location: string, signal?: AbortSignal): Promise<{ size: number } | null> {
    return fetchSize(this.fetcher, location, location, signal);
  }

  async list(): Promise<null> {
    return null;
  }

  async openReader(location: string, size?: number, signal?: AbortSignal): Promise<RangeReader> {
    const known = size ?? (await this.stat(location, signal))?.size;
    if (known === undefined) throw new IcebergNotFoundError(location, `File not found: ${location}`);
    return httpRangeReader(this.fetcher, location, location, known);
  }
}
