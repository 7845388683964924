import { createHash } from 'node:crypto';

/**
 * Counts payload bytes as batches report them and hashes them in batch order, whatever order batches
 * complete in: chunks of a batch that is not next in line are buffered until its turn.
 */
export class PayloadLedger {
  private readonly hash = createHash('sha256');
  private readonly pending = new Map<number, Uint8Array[]>();
  private readonly completed = new Set<number>();
  private next = 0;
  /** Bytes reported so far. */
  bytes = 0;

  /** Records a chunk sent for batch `index`; true when it was hashed at once (the chunk is not kept). */
  add(index: number, chunk: Uint8Array | string): boolean {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.bytes += bytes.byteLength;
    if (index === this.next) {
      this.hash.update(bytes);
      return true;
    }
    const list = this.pending.get(index);
    if (list) list.push(bytes);
    else this.pending.set(index, [bytes]);
    return false;
  }

  /** Batch `index` will report no more chunks. */
  complete(index: number): void {
    this.completed.add(index);
    while (this.completed.has(this.next)) {
      this.completed.delete(this.next);
      this.next += 1;
      this.flush(this.next);
    }
  }

  /** Lower-case hex SHA-256 of all chunks, in batch order. Call once, at the end. */
  digest(): string {
    for (const index of [...this.pending.keys()].sort((a, b) => a - b)) this.flush(index);
    return this.hash.digest('hex');
  }

  private flush(index: number): void {
    const list = this.pending.get(index);
    if (!list) return;
    this.pending.delete(index);
    for (const chunk of list) this.hash.update(chunk);
  }
}
