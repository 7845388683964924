import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RecordBatch } from 'apache-arrow';
import { Table, tableToIPC } from 'apache-arrow';
import type { JsonBodyFraming } from './json-body-framing.js';
import type { JsonEncodingOptions } from './encoding-options.js';
import type { EncodeAnswer } from './json-encode-messages.js';
import type { JsonRowsBody } from './json-rows-body.js';

/** The worker's entry, next to this module once built (`dist/`); absent when this module runs as TypeScript. */
const WORKER_ENTRY = new URL('./json-encode-worker.js', import.meta.url);

interface Pending {
  readonly resolve: (encoded: JsonRowsBody) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Encodes batches to JSON request bodies on worker threads, so the thread that sends requests is not the one
 * that spends most of its time building them. A batch travels as Arrow IPC (a copy of its buffers, not row
 * objects) and comes back as a {@link JsonRowsBody}, byte for byte what `encodeJsonRowsBody` gives on the
 * calling thread. Workers start with {@link JsonEncodeThreads.start} (or the first `encode`), hold the process
 * open only while they have work, and end with {@link JsonEncodeThreads.close}. When no worker can run (see {@link JsonEncodeThreads.available}),
 * or a worker fails, `encode` rejects and the caller encodes on its own thread.
 *
 * @example
 * ```ts
 * const threads = new JsonEncodeThreads(1, { int64: 'number' });
 * const { body } = await threads.encode(batch); // Buffer of '[{"id":1},…]'
 * await threads.close();
 * ```
 */
export class JsonEncodeThreads {
  /** Whether worker threads can run here (false when the plugin runs from its TypeScript sources). */
  static readonly available: boolean = workerExists(WORKER_ENTRY);

  readonly #count: number;
  readonly #entry: URL;
  readonly #available: boolean;
  readonly #workerData: { options: JsonEncodingOptions; framing: JsonBodyFraming };
  readonly #workers: Worker[] = [];
  /** Encodings sent and not answered, by id. */
  readonly #pending = new Map<number, Pending & { worker: Worker }>();
  /** How many encodings each worker has: a worker holds the process open only while it has some. */
  readonly #load = new Map<Worker, number>();
  /** Workers that have loaded (they post `ready`). */
  readonly #ready = new Set<Worker>();
  #next = 0;
  #broken: Error | undefined;

  /**
   * `count` threads (≥ 1) encoding with `options`, bodies framed by `framing`. `entry` is the worker module
   * (default: the built one next to this module; tests running the TypeScript sources pass the built one).
   */
  constructor(
    count: number,
    options: JsonEncodingOptions = {},
    framing: JsonBodyFraming = {},
    entry: URL = WORKER_ENTRY,
  ) {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`thread count must be an integer ≥ 1, got ${count}`);
    this.#count = count;
    this.#entry = entry;
    this.#available = entry === WORKER_ENTRY ? JsonEncodeThreads.available : workerExists(entry);
    this.#workerData = { options: { ...options }, framing: { ...framing } };
  }

  /**
   * Starts the workers (idempotent). A worker takes a moment to load; {@link JsonEncodeThreads.ready} tells when
   * one can take work at once, so a caller can encode on its own thread until then instead of waiting.
   */
  start(): void {
    if (this.#broken !== undefined || !this.#available) return;
    for (let index = this.#workers.length; index < this.#count; index += 1) this.#workers.push(this.#spawn());
  }

  /** True once a worker has loaded and takes work (and none has failed). */
  get ready(): boolean {
    return this.#broken === undefined && this.#ready.size > 0;
  }

  /**
   * Encodes `batch` on a worker thread (starting the workers if needed; a batch sent before they have loaded
   * waits for them); rejects when no worker can run or a worker failed.
   */
  encode(batch: RecordBatch): Promise<JsonRowsBody> {
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    if (!this.#available) return Promise.reject(new Error(`no JSON encoding worker at ${this.#entry.href}`));
    let ipc: Uint8Array;
    try {
      ipc = tableToIPC(new Table([batch]), 'stream');
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const worker = this.#worker();
    const id = this.#next++;
    return new Promise<JsonRowsBody>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, worker });
      this.#busy(worker, +1);
      const owned = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength;
      worker.postMessage({ id, ipc }, owned ? [ipc.buffer as ArrayBuffer] : []);
    });
  }

  /** Stops the workers; encodings still running reject. Idempotent. */
  async close(): Promise<void> {
    const workers = this.#workers.splice(0);
    this.#ready.clear();
    this.#fail(new Error('JSON encoding threads were closed'));
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  /** The next worker round robin, preferring one that has loaded. */
  #worker(): Worker {
    this.start();
    const index = this.#next % this.#count;
    const chosen = this.#workers[index] as Worker;
    if (this.#ready.has(chosen) || this.#ready.size === 0) return chosen;
    return [...this.#ready][index % this.#ready.size] as Worker;
  }

  #spawn(): Worker {
    const worker = new Worker(this.#entry, { workerData: this.#workerData, execArgv: workerExecArgv() });
    worker.on('message', (answer: EncodeAnswer | 'ready') => {
      if (answer === 'ready') this.#ready.add(worker);
      else this.#answer(answer);
    });
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => {
      if (this.#workers.includes(worker)) this.#fail(new Error(`a JSON encoding thread exited (code ${code})`));
    });
    worker.unref();
    return worker;
  }

  /** Counts work given to (+1) or answered by (−1) `worker`, keeping it referenced exactly while it has some. */
  #busy(worker: Worker, delta: 1 | -1): void {
    const before = this.#load.get(worker) ?? 0;
    const after = before + delta;
    this.#load.set(worker, after);
    if (before === 0 && after > 0) worker.ref();
    if (before > 0 && after === 0) worker.unref();
  }

  #answer(answer: EncodeAnswer): void {
    const waiting = this.#pending.get(answer.id);
    if (waiting === undefined) return;
    this.#pending.delete(answer.id);
    this.#busy(waiting.worker, -1);
    if ('error' in answer) {
      waiting.reject(new Error(answer.error));
      return;
    }
    const { body, ends, openBytes } = answer;
    waiting.resolve({ body: Buffer.from(body.buffer, body.byteOffset, body.byteLength), ends, openBytes });
  }

  /** Rejects every pending encoding and refuses new ones: a worker that failed once is not trusted again. */
  #fail(error: Error): void {
    this.#broken ??= error;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const [worker, load] of this.#load) if (load > 0) worker.unref();
    this.#load.clear();
    for (const waiting of pending) waiting.reject(error);
  }
}

function workerExists(entry: URL): boolean {
  return entry.protocol === 'file:' && existsSync(fileURLToPath(entry));
}

/**
 * The process's Node flags for a worker, minus `--input-type` (a worker inherits them, and with that flag Node
 * refuses to start a worker from a file, as in `node --input-type=module -e …`).
 */
function workerExecArgv(): string[] {
  const flags: string[] = [];
  for (let i = 0; i < process.execArgv.length; i += 1) {
    const flag = process.execArgv[i] as string;
    if (flag === '--input-type') i += 1;
    else if (!flag.startsWith('--input-type=')) flags.push(flag);
  }
  return flags;
}
