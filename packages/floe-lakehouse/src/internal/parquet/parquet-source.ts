import { tableFromIPC, type RecordBatch, type Schema } from 'apache-arrow';
import type * as ParquetWasm from 'parquet-wasm';
import { IcebergMetadataError, isLakehouseError } from '../../errors.js';
import type { FileIO, RangeReader } from '../io/file-io.js';
import { throwIfAborted } from '../util/abort.js';

let wasmModule: Promise<typeof ParquetWasm> | undefined;

/** parquet-wasm, loaded on first use (its WebAssembly module is ~5 MB). */
export function loadParquetWasm(): Promise<typeof ParquetWasm> {
  wasmModule ??= import('parquet-wasm');
  return wasmModule;
}

/**
 * Carries a storage failure out of parquet-wasm: a rejected read inside its async reader aborts the
 * WebAssembly instance (Rust panic), so failed reads never settle and the failure is raised here
 * instead, by racing every wasm call against {@link ReadFailure.promise}.
 */
class ReadFailure {
  readonly promise: Promise<never>;
  failed = false;
  private reject!: (e: unknown) => void;

  constructor() {
    this.promise = new Promise<never>((_, reject) => (this.reject = reject));
    this.promise.catch(() => undefined);
  }

  fail(e: unknown): void {
    this.failed = true;
    this.reject(e);
  }

  race<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.promise]);
  }
}

/**
 * A Blob look-alike over a RangeReader: parquet-wasm's async reader only calls `size`,
 * `slice(start, end)` and `arrayBuffer()`, so each column chunk it needs becomes one range read.
 */
class RangeBlob {
  constructor(
    private readonly reader: RangeReader,
    private readonly start: number,
    private readonly end: number,
    private readonly signal: AbortSignal | undefined,
    private readonly failure: ReadFailure,
  ) {}

  get size(): number {
    return this.end - this.start;
  }

  slice(start = 0, end = this.size): RangeBlob {
    const clamp = (v: number): number => Math.min(Math.max(v < 0 ? this.size + v : v, 0), this.size);
    const s = clamp(start);
    return new RangeBlob(this.reader, this.start + s, this.start + Math.max(s, clamp(end)), this.signal, this.failure);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    let bytes: Uint8Array;
    try {
      bytes = await this.reader.read(this.start, this.end, this.signal);
    } catch (e) {
      this.failure.fail(e);
      return new Promise<ArrayBuffer>(() => undefined); // never settles: see ReadFailure
    }
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
    const copy = new Uint8Array(bytes.byteLength); // Buffer#slice would not copy
    copy.set(bytes);
    return copy.buffer;
  }
}

function wrapError(e: unknown, location: string, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  if (isLakehouseError(e) || (e as { name?: unknown })?.name === 'AbortError') return e;
  const message = e instanceof Error ? e.message : String(e);
  return new IcebergMetadataError(`Cannot read Parquet file ${location}: ${message}`, { location, cause: e });
}

/** One Parquet file read through range requests, streamed as Arrow record batches. */
export class ParquetSource {
  private constructor(
    private readonly file: ParquetWasm.ParquetFile,
    private readonly reader: RangeReader,
    private readonly failure: ReadFailure,
    readonly location: string,
    /** Arrow schema of the file, with `PARQUET:field_id` field metadata. */
    readonly schema: Schema,
  ) {}

  /** Opens a file (reads its footer). `size` from the manifest avoids a metadata request. */
  static async open(
    io: FileIO,
    location: string,
    size: number | undefined,
    signal?: AbortSignal,
  ): Promise<ParquetSource> {
    const wasm = await loadParquetWasm();
    const reader = await io.openReader(location, size, signal);
    const failure = new ReadFailure();
    try {
      const blob = new RangeBlob(reader, 0, reader.size, signal, failure);
      const file = await failure.race(wasm.ParquetFile.fromFile(blob as unknown as Blob));
      const schema = tableFromIPC(file.schema().intoIPCStream()).schema;
      return new ParquetSource(file, reader, failure, location, schema);
    } catch (e) {
      await reader.close();
      throw wrapError(e, location, signal);
    }
  }

  /** Streams the file's rows in order, `batchSize` rows at most per batch. */
  async *batches(columns: string[] | undefined, batchSize: number, signal?: AbortSignal): AsyncGenerator<RecordBatch> {
    let stream: ReadableStream<ParquetWasm.RecordBatch>;
    try {
      stream = await this.failure.race(this.file.stream({ batchSize, ...(columns ? { columns } : {}) }));
    } catch (e) {
      throw wrapError(e, this.location, signal);
    }
    const reader = stream.getReader();
    let done = false;
    try {
      for (;;) {
        throwIfAborted(signal);
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await this.failure.race(reader.read());
        } catch (e) {
          throw wrapError(e, this.location, signal);
        }
        if (next.done) {
          done = true;
          return;
        }
        const table = tableFromIPC(next.value.intoIPCStream());
        for (const batch of table.batches) yield batch;
      }
    } finally {
      if (!done && !this.failure.failed) await reader.cancel().catch(() => undefined);
      if (!this.failure.failed) reader.releaseLock();
    }
  }

  async close(): Promise<void> {
    try {
      // after a failed read the wasm side still borrows the file: leave it to the garbage collector
      if (!this.failure.failed) this.file.free();
    } catch {
      // still borrowed by a cancelled stream: the finalizer frees it
    }
    await this.reader.close();
  }
}
