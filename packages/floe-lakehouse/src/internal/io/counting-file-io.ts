import type { FileIO, RangeReader } from './file-io.js';

/**
 * A FileIO that counts the bytes it fetched (whole-file reads and range reads) before handing
 * them on. Always on: one addition per read.
 */
export class CountingFileIO implements FileIO {
  private count = 0;

  constructor(private readonly inner: FileIO) {}

  /** Bytes fetched from storage so far. */
  get bytesRead(): number {
    return this.count;
  }

  /** Wraps `io` unless it already counts. */
  static wrap(io: FileIO): CountingFileIO {
    return io instanceof CountingFileIO ? io : new CountingFileIO(io);
  }

  async readFile(location: string, signal?: AbortSignal): Promise<Uint8Array> {
    const bytes = await this.inner.readFile(location, signal);
    this.count += bytes.byteLength;
    return bytes;
  }

  stat(location: string, signal?: AbortSignal): Promise<{ size: number } | null> {
    return this.inner.stat(location, signal);
  }

  list(folder: string, signal?: AbortSignal): Promise<string[] | null> {
    return this.inner.list(folder, signal);
  }

  async openReader(location: string, size?: number, signal?: AbortSignal): Promise<RangeReader> {
    const reader = await this.inner.openReader(location, size, signal);
    const add = (n: number): void => {
      this.count += n;
    };
    return {
      get size() {
        return reader.size;
      },
      async read(start: number, end: number, readSignal?: AbortSignal): Promise<Uint8Array> {
        const bytes = await reader.read(start, end, readSignal);
        add(bytes.byteLength);
        return bytes;
      },
      close: () => reader.close(),
    };
  }
}
