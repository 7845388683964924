/** Smallest buffer the pool hands out: a COPY chunk (512 KiB) plus its last row, so most buffers fit most chunks. */
const MIN_BUFFER = (1 << 19) + (1 << 16);

/**
 * The COPY chunk buffers of one load, reused from batch to batch: a chunk goes back once PostgreSQL has
 * received it and the receipt's checksum has hashed it (`BatchContext.addPayload` returned `true`). Without
 * it every batch allocates its whole COPY payload afresh (~8 MB per 50,000 rows here), garbage that the
 * collector frees late; with it a streaming load keeps reusing the same few buffers.
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];

  /** @param max buffers kept for reuse at most (the rest is left to the garbage collector). */
  constructor(private readonly max = 32) {}

  /** `size` bytes, contents undefined: a free buffer large enough, else a new one. */
  readonly take = (size: number): Buffer => {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const buffer = this.free[i] as Buffer;
      if (buffer.length >= size) {
        this.free[i] = this.free[this.free.length - 1] as Buffer;
        this.free.pop();
        return buffer.subarray(0, size);
      }
    }
    return Buffer.allocUnsafeSlow(Math.max(size, MIN_BUFFER)).subarray(0, size);
  };

  /** Gives back a chunk from {@link ChunkPool.take} nobody holds any more; other buffers are ignored. */
  give(chunk: Uint8Array): void {
    // Only whole buffers this pool allocated (never Node's shared small-buffer pool).
    if (chunk.byteOffset !== 0 || chunk.buffer.byteLength < MIN_BUFFER || this.free.length >= this.max) return;
    this.free.push(Buffer.from(chunk.buffer, 0, chunk.buffer.byteLength));
  }

  /** Buffers ready for reuse. */
  get size(): number {
    return this.free.length;
  }
}
