import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RecordBatchReader, RecordBatchStreamWriter, type RecordBatch, type Schema } from 'apache-arrow';

/** Bytes a spool may hold in memory before {@link ArrowSpool.write} waits for the file. */
export const MAX_UNWRITTEN_BYTES = 16 * 1024 * 1024;

/**
 * Record batches spooled to an Arrow IPC stream file: written once, then read as often as needed (a change
 * stream is counted before anything is sent, and read again by a resumed run).
 */
export class ArrowSpool {
  readonly path: string;
  readonly schema: Schema;
  #writer: RecordBatchStreamWriter | undefined;
  #done: Promise<void> | undefined;
  readonly #file: WriteStream;
  /** The writer's count of bytes it produced (Arrow's `_position`): what the file must catch up with. */
  readonly #written: { readonly _position: number };
  #rows = 0;

  constructor(path: string, schema: Schema) {
    this.path = path;
    this.schema = schema;
    const writer = new RecordBatchStreamWriter();
    writer.reset(undefined, schema);
    this.#writer = writer;
    this.#file = createWriteStream(this.path);
    this.#done = pipeline(Readable.from(writer as AsyncIterable<Uint8Array>), this.#file);
    this.#written = writer as unknown as { readonly _position: number };
    // Awaited in finish(); a failure surfaces there.
    this.#done.catch(() => undefined);
  }

  /** Rows written. */
  get rows(): number {
    return this.#rows;
  }

  /**
   * Writes a batch; resolves once the file holds all but {@link MAX_UNWRITTEN_BYTES} of what was written. The
   * writer's queue is not the file's buffer: waiting for the file's `drain` alone let it grow with the whole
   * input (the queue fills while the pipeline has not yet handed the file anything to drain).
   */
  async write(batch: RecordBatch): Promise<void> {
    if (batch.numRows === 0) return;
    this.#writer!.write(batch);
    this.#rows += batch.numRows;
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#written._position - this.#file.bytesWritten > MAX_UNWRITTEN_BYTES) {
      if (this.#file.writableNeedDrain) await Promise.race([once(this.#file, 'drain'), this.#done]);
      else await Promise.race([new Promise((resolve) => setTimeout(resolve, 1)), this.#done]);
    }
  }

  /** Ends the file (idempotent). */
  async finish(): Promise<void> {
    if (this.#writer === undefined) return;
    this.#writer.finish();
    this.#writer.close();
    this.#writer = undefined;
    await this.#done;
  }

  /** The spooled batches, read from the file (call after {@link finish}). */
  async *read(): AsyncIterable<RecordBatch> {
    if (this.#rows === 0) return;
    const reader = await RecordBatchReader.from(createReadStream(this.path));
    for await (const batch of reader) yield batch as RecordBatch;
  }
}
